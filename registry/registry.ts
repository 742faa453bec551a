// The registry service: publish snapshots (blob first, ref swap last), read them back, resolve refs.
import type { NormalizedDefinition, Provenance, Quarantine, RefState, Retirement, Rollout, Tombstone } from "../schemas/index.ts";
import { rolloutPolicyOf, SnapshotSchema } from "../schemas/index.ts";
import type { RolloutCommand } from "./rollout-plan.ts";
import { canonicalJson, sha256Hex } from "./content-hash.ts";
import { ObjectsError } from "../core/index.ts";
import type { BlobStore, IndexEntry, ObjectIndex, PublishOutcome, RefStore } from "./ports.ts";
import { environmentOf, type Ref } from "./ref.ts";
import { resolveTarget } from "./environments.ts";
import { resolveObjectRef } from "./resolve.ts";

/** A published, immutable definition with the hash of its content and the provenance of its first publication. */
export interface Snapshot {
  hash: string;
  definition: NormalizedDefinition;
  provenance: Provenance;
}

export interface PublishInput {
  definition: NormalizedDefinition;
  version?: string;
  /** Refs to move to the new snapshot; `["latest"]` unless said otherwise. */
  refs?: string[];
  expect?: Record<string, string | null>;
  provenance: Omit<Provenance, "at">;
}

export interface PublishResult extends PublishOutcome {
  hash: string;
  /** True when this call stored the snapshot blob (false: identical content existed). */
  stored: boolean;
}

export interface RegistryDeps {
  blobs: BlobStore;
  refs: RefStore;
  /** The clock, passed in so tests control time. */
  now: () => Date;
  /** Where listings find every object; kept after each change, never in the way of one. */
  index?: ObjectIndex;
}

export const snapshotKey = (hash: string) => `snapshots/${hash}.json`;

/** What the index shows of an object: what `latest` serves, and when and how the object last changed. */
const indexEntry = (id: string, latest: string | null, provenance: Provenance): IndexEntry => ({
  id,
  latest,
  updatedAt: provenance.at,
  source: provenance.source,
  ...(provenance.message ? { message: provenance.message.split("\n")[0]!.slice(0, 200) } : {}),
});

/** Creates the registry over its ports (refs, blobs, the optional index) and a clock. */
export function createRegistry({ blobs, refs, now, index }: RegistryDeps) {
  /** Records an object's latest in the index; a failure only delays listings (the refs are the truth). */
  async function indexed(id: string, provenance: Provenance, latest?: string | null): Promise<void> {
    if (!index) return;
    try {
      const current = latest !== undefined ? latest : ((await refs.read(id)).refs.latest ?? null);
      await index.put(indexEntry(id, current, provenance));
    } catch (error) {
      console.warn(`object index: ${id} not updated: ${(error as Error).message}`);
    }
  }

  async function snapshot(hash: string): Promise<Snapshot> {
    const text = await blobs.get(snapshotKey(hash));
    if (text === null) throw new ObjectsError("snapshot-not-found", `snapshot ${hash.slice(0, 12)} is not stored`);
    return SnapshotSchema.parse(JSON.parse(text)) as Snapshot;
  }

  return {
    snapshot,

    /** Stores the snapshot put-if-absent under its content hash, then swaps the refs (a crash between leaves an orphan blob). */
    async publish(input: PublishInput): Promise<PublishResult> {
      const text = canonicalJson(input.definition);
      const hash = await sha256Hex(text);
      const provenance: Provenance = { ...input.provenance, at: now().toISOString() };
      const stored = await blobs.putIfAbsent(snapshotKey(hash), canonicalJson({ hash, definition: input.definition, provenance }));
      const moves = input.refs ?? ["latest"];
      const rollout = moves.includes("latest") ? rolloutPolicyOf(input.definition) : null;
      const outcome = await refs.publish(input.definition.$id, {
        hash,
        refs: moves,
        provenance,
        ...(input.version ? { version: input.version } : {}),
        ...(input.expect ? { expect: input.expect } : {}),
        ...(rollout ? { rollout } : {}),
      });
      // A publication that started a rollout left `latest` where it was.
      const movedLatest = moves.includes("latest") && outcome.rollout?.change !== "started" && outcome.rollout?.change !== "replaced";
      if (outcome.changed) await indexed(input.definition.$id, provenance, movedLatest ? hash : undefined);
      return { hash, stored, ...outcome };
    },

    state: (id: string): Promise<RefState> => refs.read(id),

    /** What `latest` of an object serves, or null when it has none. */
    async latestDefinition(id: string): Promise<NormalizedDefinition | null> {
      const hash = (await refs.read(id)).refs.latest;
      return hash ? (await snapshot(hash)).definition : null;
    },

    /** The content hash a ref names, throwing `object-not-found` when the object never published. */
    async resolve(id: string, ref: Ref): Promise<string> {
      return resolveObjectRef(id, await refs.read(id), ref);
    },

    /** Whose state `id@ref` runs on (environments.ts): a moving ref's own, a version production's, a hash where it was published. */
    async environment(id: string, ref: Ref): Promise<string> {
      return ref.kind === "hash" ? resolveTarget(id, await refs.read(id), ref).environment : environmentOf(ref);
    },

    /** Moves `latest` back (rollback) or forward (promote) to what `to` names, recorded as a publication; CAS on the current latest. */
    async moveLatest(id: string, to: Ref, actor?: string, message = "rollback"): Promise<{ hash: string; previous?: string }> {
      const state = await refs.read(id);
      const hash = resolveObjectRef(id, state, to);
      const current = state.refs.latest ?? null;
      const provenance: Provenance = { source: "api", at: now().toISOString(), message, ...(actor ? { actor } : {}) };
      await refs.publish(id, { hash, refs: ["latest"], expect: { latest: current }, provenance });
      await indexed(id, provenance, hash);
      return { hash, ...(current ? { previous: current } : {}) };
    },

    /** Deletes one moving ref (a branch left, an object left the default branch); a tombstone makes it answer 410. */
    async removeRef(id: string, ref: string, tombstone?: Omit<Tombstone, "at">): Promise<boolean> {
      const removed = await refs.removeRef(id, ref, tombstone ? { ...tombstone, at: now().toISOString() } : undefined);
      if (removed && ref === "latest") await indexed(id, { source: "git", at: now().toISOString(), message: `${ref} removed` }, null);
      return removed;
    },

    /** Keeps a version from running (the local supervisor saw it freeze or kill the runtime). */
    quarantine: (id: string, hash: string, record: Omit<Quarantine, "at">) => refs.quarantine(id, hash, { ...record, at: now().toISOString() }),

    /** Applies a step's analysis or a person's command to the running rollout (see rollout-plan.ts). */
    async rollout(id: string, command: RolloutCommand): Promise<Rollout> {
      const rollout = await refs.rollout(id, command);
      if (rollout.status === "promoted") await indexed(id, { source: "api", at: command.at, message: `rollout ${rollout.id} promoted` }, rollout.canary);
      return rollout;
    },

    /** Retires a version (null: restores it): calls that name it answer 410. */
    retire: (id: string, hash: string, retirement: Retirement | null) => refs.retire(id, hash, retirement),

    /** Lets a quarantined version run again; true when it was quarantined. */
    release: (id: string, hash: string) => refs.release(id, hash),

    async remove(id: string): Promise<boolean> {
      const removed = await refs.remove(id);
      await index?.drop(id).catch((error: Error) => console.warn(`object index: ${id} not dropped: ${error.message}`));
      return removed;
    },

    /**
     * Rebuilds the index from the snapshots a page at a time (objects published before the index existed): each
     * snapshot names its object, whose refs say what `latest` serves. Call again with `cursor` until it is null.
     */
    async reindex(page: { cursor?: string; limit: number }): Promise<{ indexed: string[]; cursor: string | null }> {
      if (!index) return { indexed: [], cursor: null };
      const listed = await blobs.list("snapshots/", page);
      const ids = new Set<string>();
      for (const key of listed.keys) {
        const text = await blobs.get(key);
        const id = text && (JSON.parse(text) as { definition?: { $id?: unknown } }).definition?.$id;
        if (typeof id === "string") ids.add(id);
      }
      const indexed: string[] = [];
      for (const id of [...ids].sort()) {
        await refs.adopt?.(id);
        const state = await refs.read(id);
        const last = state.publications.at(-1);
        if (!last) continue;
        await index.put(indexEntry(id, state.refs.latest ?? null, last.provenance));
        indexed.push(id);
      }
      return { indexed, cursor: listed.cursor };
    },

    /** Objects in id order (from the index; empty when the registry has none). */
    list: (options: { after?: string; limit: number }) => index?.list(options) ?? Promise.resolve([]),
  };
}

export type Registry = ReturnType<typeof createRegistry>;
