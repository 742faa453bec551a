// Bodies of the management and runtime HTTP APIs (their answers are in answers.ts).
import { z } from "zod";

/** `POST /<id>/rollback`: move `latest` to what `to` resolves to. */
export const RollbackBodySchema = z.strictObject({ to: z.string().min(1).max(256) });
/** `POST /<id>/promote`: serve at `latest` what another ref (a preview, a branch, a version) holds. */
export const PromoteBodySchema = z.strictObject({ from: z.string().min(1).max(256) });

/** `POST /<id>/release`: let a quarantined version run again, named by its hash or by a ref. */
export const ReleaseBodySchema = z.union([z.strictObject({ hash: z.string().regex(/^[0-9a-f]{64}$/) }), z.strictObject({ ref: z.string().min(1).max(256) })]);

/** `POST /<id>/__retire`: the version to retire (an exact version or hash), the usage window checked, force, or restore. */
export const RetireBodySchema = z.strictObject({
  ref: z.string().min(1).max(256),
  days: z.number().int().min(1).max(90).optional(),
  force: z.boolean().optional(),
  restore: z.boolean().optional(),
});
export type RetireBody = z.infer<typeof RetireBodySchema>;

/** `POST /_/supervisor/quarantine`: the local supervisor's report of what froze or killed the runtime. */
export const QuarantineReportSchema = z.strictObject({
  quarantines: z.array(z.strictObject({ label: z.string().max(600), what: z.string().max(600), reason: z.string().max(600) })).max(100),
});

/** `POST /<id>/rpc`: one method call. */
export const RpcBodySchema = z.strictObject({
  method: z.string().min(1).max(600),
  params: z.array(z.unknown()).max(256).optional(),
});
export type RpcBody = z.infer<typeof RpcBodySchema>;

/** The scopes claim of a management token: object-id patterns, as a space-separated string or an array. */
export const ScopeClaimSchema = z.union([z.string(), z.array(z.string())]);

/** `POST /_/repos`: connect a GitHub (or any git host's) repository. */
export const RepoConnectionSchema = z.strictObject({
  name: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "owner/name"),
  cloneUrl: z.string().url(),
  defaultBranch: z.string().min(1).max(255).default("main"),
  webhookSecret: z.string().min(16, "a webhook secret has at least 16 characters").max(256),
  /** GitHub's REST API root; GitHub Enterprise is `https://<host>/api/v3`. */
  apiBaseUrl: z.string().url().default("https://api.github.com"),
  auth: z.union([
    z.strictObject({ token: z.string().min(1).max(4096) }),
    z.strictObject({ app: z.strictObject({ appId: z.union([z.string(), z.number()]), privateKey: z.string().min(64), installationId: z.union([z.string(), z.number()]) }) }),
  ]),
});
export type RepoConnection = z.infer<typeof RepoConnectionSchema>;

/** `POST /<id>/rollout/{pause,resume,promote,abort}`: optionally why (kept in the rollout's history). */
export const RolloutCommandBodySchema = z.strictObject({ reason: z.string().min(1).max(500).optional() });
