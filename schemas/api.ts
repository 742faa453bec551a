// Bodies of the management and runtime HTTP APIs.
import { z } from "zod";

/** `POST /<id>/rollback`: move `latest` to what `to` resolves to. */
export const RollbackBodySchema = z.strictObject({ to: z.string().min(1).max(256) });

/** `POST /<id>/rpc`: one method call. */
export const RpcBodySchema = z.strictObject({
  method: z.string().min(1).max(600),
  params: z.array(z.unknown()).max(256).optional(),
});
export type RpcBody = z.infer<typeof RpcBodySchema>;

/** The scopes claim of a management token: object-id patterns, as a space-separated string or an array. */
export const ScopeClaimSchema = z.union([z.string(), z.array(z.string())]);
