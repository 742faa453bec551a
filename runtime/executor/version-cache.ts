// Which version `id@ref` names, cached per isolate: refs for a short TTL (publishes invalidate at once), versions by hash.
import { environmentsOf, parseRef, resolveTarget, servedRefOf, type Registry, type Snapshot } from "../../registry/index.ts";
import { isActive, type Quarantine, type RefState, type Retirement } from "../../schemas/index.ts";
import type { ObjectsError } from "../../core/index.ts";
import { prepareVersion, type PreparedVersion } from "./loader.ts";

export interface ResolvedVersion extends PreparedVersion {
  /** Whose state the ref runs on (registry/environments.ts): production runs only what production published. */
  environment: string;
  /** Every environment that published this content (a pin is honoured only in one of these). */
  environments: string[];
  /** The versions (semver) that name this content hash. */
  versions: string[];
  /** Set when this version froze or killed the local runtime: it does not run until released. */
  quarantine?: Quarantine;
  /** Set when its owner retired it: calls that name it exactly answer 410. */
  retired?: Retirement;
  /** On `latest` while a rollout runs: the canary that takes a share of its calls (see rollout-split.ts). */
  rollout?: RunningRollout;
}

/** What the Worker needs of a running rollout to split calls: which version, what share, which methods. */
export interface RunningRollout {
  id: string;
  step: number;
  weight: number;
  canary: string;
  /** The versions (semver) that name the canary. */
  canaryVersions: string[];
  methods?: string[];
}

/** The running rollout of a ref state, unless its canary may not run (quarantined or retired: calls stay stable). */
function runningRollout(state: RefState): RunningRollout | undefined {
  const { rollout } = state;
  if (!isActive(rollout) || state.quarantined?.[rollout.canary] || state.retired?.[rollout.canary]) return undefined;
  const canaryVersions = Object.keys(state.versions).filter((version) => state.versions[version] === rollout.canary);
  return { id: rollout.id, step: rollout.step, weight: rollout.weight, canary: rollout.canary, canaryVersions, ...(rollout.policy.methods ? { methods: rollout.policy.methods } : {}) };
}

interface Resolution {
  version: ResolvedVersion;
  until: number;
}

export interface VersionCacheOptions {
  registry: Pick<Registry, "state" | "snapshot">;
  ttlMs: number;
  now?: () => number;
  maxRefs?: number;
  maxVersions?: number;
}

function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): V {
  if (map.size >= max) map.delete(map.keys().next().value!);
  map.set(key, value);
  return value;
}

/** A cache of ref resolutions and prepared versions over the registry. */
export function createVersionCache({ registry, ttlMs, now = Date.now, maxRefs = 10_000, maxVersions = 256 }: VersionCacheOptions) {
  const resolutions = new Map<string, Resolution>();
  // Values, not promises: a promise begun in one request must not be awaited by another (workerd I/O contexts).
  const prepared = new Map<string, PreparedVersion>();

  const byHash = async (hash: string): Promise<PreparedVersion> => {
    const cached = prepared.get(hash);
    if (cached) return cached;
    const snapshot: Snapshot = await registry.snapshot(hash);
    return prepared.get(hash) ?? remember(prepared, hash, prepareVersion(snapshot), maxVersions);
  };

  return {
    byHash,

    /**
     * The version `id@ref` names; throws `object-not-found`, `ref-not-found`, `ref-ambiguous` or `ref-invalid`.
     * `fresh` reads the refs whatever is cached: for decisions a publish must change at once (consent).
     */
    async resolve(id: string, ref: string, { fresh = false } = {}): Promise<ResolvedVersion> {
      const key = `${id}@${ref}`;
      const cached = resolutions.get(key);
      if (!fresh && cached && cached.until > now()) return cached.version;
      const state = await registry.state(id);
      const { hash, environment } = resolveTarget(id, state, parseRef(ref));
      const environments = environmentsOf(state, hash);
      const versions = Object.keys(state.versions).filter((version) => state.versions[version] === hash);
      const quarantine = state.quarantined?.[hash];
      const retired = state.retired?.[hash];
      const rollout = ref === "latest" ? runningRollout(state) : undefined;
      const version = { ...(await byHash(hash)), environment, environments, versions, ...(quarantine ? { quarantine } : {}), ...(retired ? { retired } : {}), ...(rollout ? { rollout } : {}) };
      return remember(resolutions, key, { version, until: now() + ttlMs }, maxRefs).version;
    },

    /** Forgets every ref resolution of an object (after a publish, rollback or delete in this isolate). */
    invalidate(id: string): void {
      for (const key of resolutions.keys()) if (key.startsWith(`${id}@`)) resolutions.delete(key);
    },
  };
}

export type VersionCache = ReturnType<typeof createVersionCache>;

/**
 * The version an environment serves: its own ref's (a preview's, a branch's head, production's latest), or production's
 * latest where that environment never published the object (an event reaching it in a preview: production's code on
 * the preview's state, never production's state). `fresh` reads the refs whatever is cached: for a decision a publish
 * must change at once (consent, which version a facet runs).
 */
export async function currentVersion(versions: VersionCache, { id, environment }: { id: string; environment: string }, { fresh = false } = {}): Promise<ResolvedVersion> {
  if (environment === "production") return versions.resolve(id, "latest", { fresh });
  try {
    return await versions.resolve(id, servedRefOf(environment), { fresh });
  } catch (error) {
    if (!["ref-not-found", "object-removed"].includes((error as ObjectsError).code)) throw error;
  }
  return versions.resolve(id, "latest", { fresh });
}
