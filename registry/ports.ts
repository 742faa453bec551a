// The storage ports of the registry: immutable blobs and per-object refs. Adapters live in store/.
import type { IndexEntry, Provenance, Quarantine, RefState, Retirement, Rollout, RolloutPolicy, Tombstone } from "../schemas/index.ts";
import type { RolloutCommand } from "./rollout-plan.ts";

/** Immutable content-addressed blobs (R2 in production). Failures throw `unavailable` (retryable). */
export interface BlobStore {
  /** Writes `body` under `key` unless the key exists; true when this call created it. Never overwrites. */
  putIfAbsent(key: string, body: string): Promise<boolean>;
  /** The body under `key`, or null when absent. */
  get(key: string): Promise<string | null>;
  /** Keys under `prefix` in key order, a page at a time; `cursor` is null after the last page. */
  list(prefix: string, page: { cursor?: string; limit: number }): Promise<{ keys: string[]; cursor: string | null }>;
}

/** A request to record one publication of `hash` and move `refs` to it, atomically. */
export interface PublishCommand {
  hash: string;
  version?: string;
  refs: string[];
  /** Compare-and-swap: each named ref must currently hold this hash (null: must be absent). */
  expect?: Record<string, string | null>;
  provenance: Provenance;
  /** The rollout policy the published definition declares: a move of `latest` becomes a rollout (rollout-plan.ts). */
  rollout?: RolloutPolicy;
}

export interface PublishOutcome {
  /** False when the content was already published with this version and every ref already pointed at it. */
  changed: boolean;
  /** The hash each ref held before this command (absent: the ref did not exist). */
  previous: Record<string, string>;
  /** What the publication did to rollouts: started one (latest did not move), replaced its canary, or ended it. */
  rollout?: { change: "started" | "replaced" | "ended"; record: Rollout };
}

/** Refs of one object, strongly consistent (a Durable Object with SQLite in production). */
export interface RefStore {
  /** All refs, versions and publications of the object (empty when it never published). */
  read(id: string): Promise<RefState>;
  /**
   * Applies a publication atomically (refs, version, the commit it came from in `provenance.commit`); throws
   * `version-immutable` (409) or `ref-moved` (409, lost CAS).
   */
  publish(id: string, command: PublishCommand): Promise<PublishOutcome>;
  /** Deletes one moving ref, leaving a tombstone when given (the ref then answers 410); true when it existed. */
  removeRef(id: string, ref: string, tombstone?: Tombstone): Promise<boolean>;
  /** Deletes every ref of the object (versions too); true when there was anything. History of blobs stays in R2. */
  remove(id: string): Promise<boolean>;
  /** Keeps a content hash of the object from running (the local supervisor saw it freeze or kill the runtime). */
  quarantine(id: string, hash: string, quarantine: Quarantine): Promise<void>;
  /** Lets a quarantined hash run again; true when it was quarantined. */
  release(id: string, hash: string): Promise<boolean>;
  /** Retires a content hash (null: restores it); true when that changed anything. */
  retire(id: string, hash: string, retirement: Retirement | null): Promise<boolean>;
  /**
   * Applies a command to the running rollout (an analysis, pause, resume, promote, abort) atomically; a promotion moves
   * `latest` to the canary in the same transaction. Throws `rollout-not-active` (409) or `rollout-moved` (409, stale).
   */
  rollout(id: string, command: RolloutCommand): Promise<Rollout>;
  /** Takes over what an earlier storage layout kept for an id the index does not list (index rebuild). */
  adopt?(id: string): Promise<void>;
}

export type { IndexEntry };

/** Every object id the registry holds, for listings (`GET /_/objects`, the dashboard). Eventually consistent. */
export interface ObjectIndex {
  put(entry: IndexEntry): Promise<void>;
  drop(id: string): Promise<void>;
  /** Ids in order, from after `cursor`, at most `limit`. */
  list(options: { after?: string; limit: number }): Promise<IndexEntry[]>;
}
