// In-memory adapters of the registry's ports; they must pass the same contract suites as R2 and RefsDO.
import { planPublish, planRolloutCommand, promotionCommand, type BlobStore, type IndexEntry, type ObjectIndex, type RefStore } from "../../registry/index.ts";
import type { RefState } from "../../schemas/index.ts";

export function memoryBlobStore(): BlobStore {
  const blobs = new Map<string, string>();
  return {
    async putIfAbsent(key, body) {
      if (blobs.has(key)) return false;
      blobs.set(key, body);
      return true;
    },
    async get(key) {
      return blobs.get(key) ?? null;
    },
    async list(prefix, { cursor, limit }) {
      // The cursor is the last key of the previous page.
      const keys = [...blobs.keys()].filter((key) => key.startsWith(prefix) && (!cursor || key > cursor)).sort();
      const page = keys.slice(0, limit);
      return { keys: page, cursor: keys.length > limit ? page.at(-1)! : null };
    },
  };
}

export function memoryRefStore(): RefStore {
  const states = new Map<string, RefState>();
  const empty = (): RefState => ({ refs: {}, versions: {}, commits: {}, gone: {}, publications: [] });
  const copy = (state: RefState): RefState => structuredClone(state);
  return {
    async read(id) {
      return copy(states.get(id) ?? empty());
    },
    async publish(id, command) {
      const state = states.get(id) ?? empty();
      const plan = planPublish(state, command);
      const next = copy(state);
      Object.assign(next.refs, plan.setRefs);
      for (const ref of Object.keys(plan.setRefs)) delete next.gone[ref];
      if (plan.addCommit) next.commits[plan.addCommit.sha] = plan.addCommit.hash;
      if (plan.addVersion) next.versions[plan.addVersion.version] = plan.addVersion.hash;
      if (plan.publication) next.publications.push({ seq: (next.publications.at(-1)?.seq ?? 0) + 1, ...plan.publication });
      if (plan.rollout) next.rollout = plan.rollout;
      states.set(id, next);
      return plan.outcome;
    },
    async rollout(id, command) {
      const state = states.get(id) ?? empty();
      const plan = planRolloutCommand(id, state, command);
      const next = { ...copy(state), rollout: plan.rollout };
      states.set(id, next);
      const promotion = promotionCommand(plan, command);
      if (promotion) await this.publish(id, promotion);
      return plan.rollout;
    },
    async removeRef(id, ref, tombstone) {
      const state = states.get(id);
      if (!state || state.refs[ref] === undefined) return false;
      delete state.refs[ref];
      if (ref === "latest") delete state.rollout;
      if (tombstone) state.gone[ref] = tombstone;
      return true;
    },
    async remove(id) {
      const existed = (states.get(id)?.publications.length ?? 0) > 0;
      states.delete(id);
      return existed;
    },
    async quarantine(id, hash, record) {
      const state = states.get(id) ?? empty();
      state.quarantined = { ...state.quarantined, [hash]: record };
      states.set(id, state);
    },
    async retire(id, hash, record) {
      const state = states.get(id) ?? empty();
      const had = state.retired?.[hash];
      if (record === null) {
        if (!had) return false;
        delete state.retired![hash];
        if (Object.keys(state.retired!).length === 0) delete state.retired;
        return true;
      }
      state.retired = { ...state.retired, [hash]: record };
      states.set(id, state);
      return true;
    },
    async release(id, hash) {
      const state = states.get(id);
      if (!state?.quarantined?.[hash]) return false;
      delete state.quarantined[hash];
      if (Object.keys(state.quarantined).length === 0) delete state.quarantined;
      return true;
    },
  };
}

export function memoryObjectIndex(): ObjectIndex {
  const entries = new Map<string, IndexEntry>();
  return {
    put: async (entry) => void entries.set(entry.id, entry),
    drop: async (id) => void entries.delete(id),
    list: async ({ after = "", limit }) => [...entries.values()].filter((entry) => entry.id > after).sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, limit),
  };
}
