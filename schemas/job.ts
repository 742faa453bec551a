// The jobs the webhook endpoint and the reconciler put on the Queue, and the SourceDO runs in order.
import { z } from "zod";

export const JobSchema = z.discriminatedUnion("kind", [
  /** Make the registry match the remote's current value of one branch or tag (`sha` only triggers it). */
  z.object({
    kind: z.literal("ref"),
    repo: z.string(),
    ref: z.string().regex(/^refs\/(heads|tags)\/.+$/),
    sha: z.string().nullable(),
    delivery: z.string().optional(),
  }),
  /** A pull request's preview: publish its head (`opened`, `synchronize`, `reopened`) or tear it down (`closed`). */
  z.object({
    kind: z.literal("pull_request"),
    repo: z.string(),
    number: z.number().int().positive(),
    action: z.enum(["opened", "synchronize", "reopened", "closed"]),
    sha: z.string(),
    fork: z.boolean(),
    delivery: z.string().optional(),
  }),
  /** Someone asked to preview a pull request from a fork (the `objects-preview` label, or a `/preview` comment). */
  z.object({
    kind: z.literal("approve_preview"),
    repo: z.string(),
    number: z.number().int().positive(),
    /** The login that asked; the job checks through the API that it may write to the repository. */
    approver: z.string().min(1),
    delivery: z.string().optional(),
  }),
]);
export type Job = z.infer<typeof JobSchema>;
