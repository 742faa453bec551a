// RefStore adapter over RefShardDO: each id's refs live in one of REF_SHARDS shards; errors mapped back to
// ObjectsError. State an earlier version kept in one RefsDO per id moves into the id's shard on first use.
import { ObjectsError, unwrap } from "../../core/index.ts";
import type { RefStore } from "../ports.ts";
import type { RefsDO } from "./legacy-refs.ts";
import type { ObjectIndexDO } from "./object-index.ts";
import type { RefShardDO, ShardReply } from "./ref-shard.ts";

/**
 * How many shards the id space is split into. Never change it on a deployment that holds refs: an id would then be
 * looked up in another shard. Measured locally (scale bench, 2,000 objects): 16 shards 248 MB, 64 273 MB, 256 312 MB
 * (each resident shard ~250 KB). In production every shard takes the ref reads of its ids (each isolate re-reads an
 * id once per resolve TTL): 64 is the trade, see README "Deploy to Cloudflare".
 */
export const REF_SHARDS = 64;

/** The shard of an id: FNV-1a over its UTF-16 code units, stable across runtimes and releases. */
export function shardOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % REF_SHARDS;
}

/** Wraps storage faults (the DO unreachable or overloaded) as retryable `unavailable` errors. */
async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ObjectsError) throw error;
    const retryable = (error as { retryable?: boolean }).retryable === true;
    throw new ObjectsError("refs-unavailable", "the ref store did not answer", {
      retryable,
      headers: { "retry-after": "1" },
    });
  }
}

export interface RefNamespaces {
  shards: DurableObjectNamespace<RefShardDO>;
  /** The per-id layout of earlier versions (read once per id that the index lists, then cleared). */
  legacy: DurableObjectNamespace<RefsDO>;
  index: DurableObjectNamespace<ObjectIndexDO>;
}

/** A RefStore over the shards. */
export function doRefStore({ shards, legacy, index }: RefNamespaces): RefStore {
  const shard = (id: string) => shards.get(shards.idFromName(`shard-${shardOf(id)}`));

  /**
   * Moves an id's per-id state into its shard. Only an id the object index lists can have one (every publish since
   * the index exists is listed; `POST /_/index/rebuild` lists older ones), so a new id never wakes a legacy object.
   */
  async function settle(id: string, listed: boolean): Promise<void> {
    const old = listed ? legacy.get(legacy.idFromName(id)) : undefined;
    const rows = old ? await old.dump() : null;
    await shard(id).settle(id, rows);
    if (rows) await old!.clear();
  }

  const isListed = async (id: string) => (await index.get(index.idFromName("all")).has(id));

  /** Runs a mutation; when the shard has never seen the id, settles it first and runs the mutation again. */
  async function mutate<T>(id: string, run: () => Promise<ShardReply<T>>): Promise<T> {
    let reply = await run();
    if ("unknown" in reply) {
      await settle(id, await isListed(id));
      reply = await run();
    }
    if ("unknown" in reply) throw new ObjectsError("refs-unavailable", "the ref store did not settle the object", { retryable: true });
    return unwrap(reply);
  }

  return {
    read: (id) =>
      guarded(async () => {
        const { state, known } = await shard(id).read(id);
        // An unlisted id without state here has none: answered without writing, so lookups of random ids cost nothing.
        if (known || !(await isListed(id))) return state;
        await settle(id, true);
        return (await shard(id).read(id)).state;
      }),
    publish: (id, command) => guarded(() => mutate(id, () => shard(id).publish(id, command))),
    removeRef: (id, ref, tombstone) => guarded(() => mutate(id, () => shard(id).removeRef(id, ref, tombstone))),
    remove: (id) => guarded(() => mutate(id, () => shard(id).remove(id))),
    quarantine: (id, hash, record) => guarded(() => mutate(id, () => shard(id).quarantine(id, hash, record))),
    release: (id, hash) => guarded(() => mutate(id, () => shard(id).release(id, hash))),
    retire: (id, hash, record) => guarded(() => mutate(id, () => shard(id).retire(id, hash, record))),
    rollout: (id, command) => guarded(() => mutate(id, () => shard(id).rollout(id, command))),
    adopt: (id) =>
      guarded(async () => {
        if (!(await shard(id).read(id)).known) await settle(id, true);
      }),
  };
}
