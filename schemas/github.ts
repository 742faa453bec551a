// The parts of GitHub's webhook payloads objects.do reads (everything else is ignored), as zod.
import { z } from "zod";

const Sha = z.string().regex(/^[0-9a-f]{40}$/, "a 40-character hex sha");

export const WebhookRepositorySchema = z.object({
  id: z.number().int(),
  full_name: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "owner/name"),
  clone_url: z.string().url().optional(),
  default_branch: z.string().min(1).optional(),
});

export const PushEventSchema = z.object({
  ref: z.string().regex(/^refs\/(heads|tags)\/.+$/, "refs/heads/… or refs/tags/…"),
  before: Sha,
  after: Sha,
  created: z.boolean().optional(),
  deleted: z.boolean().optional(),
  forced: z.boolean().optional(),
  repository: WebhookRepositorySchema,
});
export type PushEvent = z.infer<typeof PushEventSchema>;

export const PullRequestEventSchema = z.object({
  action: z.string().min(1),
  number: z.number().int().positive(),
  pull_request: z.object({
    merged: z.boolean().nullable().optional(),
    head: z.object({ sha: Sha, ref: z.string(), repo: z.object({ full_name: z.string() }).nullable() }),
    base: z.object({ ref: z.string(), repo: z.object({ full_name: z.string() }) }),
  }),
  /** On `labeled`: the label added, and who added it. */
  label: z.object({ name: z.string() }).optional(),
  sender: z.object({ login: z.string() }).optional(),
  repository: WebhookRepositorySchema,
});
export type PullRequestEvent = z.infer<typeof PullRequestEventSchema>;

/** `issue_comment`: a comment on an issue or a pull request (`issue.pull_request` is set for the latter). */
export const IssueCommentEventSchema = z.object({
  action: z.string().min(1),
  issue: z.object({ number: z.number().int().positive(), pull_request: z.object({}).passthrough().nullable().optional() }),
  comment: z.object({ body: z.string().nullable(), user: z.object({ login: z.string() }) }),
  repository: WebhookRepositorySchema,
});

/** `create` and `delete` events: a branch or tag appeared or went. */
export const RefEventSchema = z.object({
  ref: z.string().min(1),
  ref_type: z.enum(["branch", "tag", "repository"]),
  repository: WebhookRepositorySchema,
});

export const PingEventSchema = z.object({ zen: z.string().optional(), hook_id: z.number().optional(), repository: WebhookRepositorySchema.optional() });
