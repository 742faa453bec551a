// Snapshots (immutable published definitions) and the ref state of one object, as stored and exchanged.
import { z } from "zod";
import { RolloutSchema } from "./rollout.ts";

export const ContentHashSchema = z.string().regex(/^[0-9a-f]{64}$/, "a content hash is 64 lowercase hex digits");

/** Where a publication came from: who and what (the management API, a git push, a GitHub webhook). */
export const ProvenanceSchema = z.object({
  source: z.enum(["api", "git", "github"]),
  at: z.string(),
  actor: z.string().optional(),
  /** The scopes of the publisher's token: what it could publish, which decides what this object may reach. */
  scopes: z.array(z.string()).optional(),
  repo: z.string().optional(),
  commit: z.string().optional(),
  path: z.string().optional(),
  author: z.string().optional(),
  message: z.string().optional(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

/** What R2 holds under `snapshots/<hash>.json`; written once, never changed. */
export const SnapshotSchema = z.object({
  hash: ContentHashSchema,
  definition: z.record(z.string(), z.unknown()),
  provenance: ProvenanceSchema,
});

/** One entry of an object's publication history. */
export const PublicationSchema = z.object({
  seq: z.number().int(),
  hash: ContentHashSchema,
  version: z.string().optional(),
  refs: z.array(z.string()),
  provenance: ProvenanceSchema,
  /** The rollout this publication started as its canary (`latest` did not move). */
  rollout: z.string().optional(),
});
export type Publication = z.infer<typeof PublicationSchema>;

/** Why a moving ref no longer exists: the object left the branch (410 at that ref, naming the last commit that had it). */
export const TombstoneSchema = z.object({
  lastCommit: z.string().optional(),
  removedBy: z.string().optional(),
  at: z.string(),
});
export type Tombstone = z.infer<typeof TombstoneSchema>;

/** A version its owner retired (`objects retire`): it answers 410 to calls that name it, pointing at `latest`. */
export const RetirementSchema = z.object({
  at: z.string(),
  /** Who retired it (the token's subject). */
  by: z.string().optional(),
  /** Calls it had in the checked window, when retired with force. */
  calls: z.number().int().nonnegative().optional(),
  /** What `latest` served when it was retired: the replacement a refused call is pointed at. */
  replacedBy: z.object({ hash: z.string(), version: z.string().optional() }).optional(),
});
export type Retirement = z.infer<typeof RetirementSchema>;

/** A version that froze or killed the local runtime: it does not run again until released or replaced. */
export const QuarantineSchema = z.object({
  reason: z.string(),
  at: z.string(),
  /** What was running: `method customers.create`, `event Order.paid`, … */
  what: z.string().optional(),
  environment: z.string().optional(),
});
export type Quarantine = z.infer<typeof QuarantineSchema>;

/** Everything the registry knows about one object's refs: moving refs, immutable versions, commits, history. */
export const RefStateSchema = z.object({
  refs: z.record(z.string(), ContentHashSchema),
  versions: z.record(z.string(), ContentHashSchema),
  /** Every git commit the object was published from → the content hash it had there. */
  commits: z.record(z.string(), ContentHashSchema),
  gone: z.record(z.string(), TombstoneSchema),
  publications: z.array(PublicationSchema),
  /** Quarantined content hashes (present only when there is one). */
  quarantined: z.record(z.string(), QuarantineSchema).optional(),
  /** Retired content hashes (present only when there is one). */
  retired: z.record(z.string(), RetirementSchema).optional(),
  /** The rollout running, or the last one (present only when the object ever had one). */
  rollout: RolloutSchema.optional(),
});
export type RefState = z.infer<typeof RefStateSchema>;
