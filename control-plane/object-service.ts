// The management service: create/update (compile → trial load → publish → notify), describe, roll back, retire, delete.
import semver from "semver";
import { isActive, type DescribeResponse, type HistoryResponse, type ListingResponse, type MoveResponse, type NormalizedDefinition, type ReleaseResponse, type RetireBody, type RetireResponse } from "../schemas/index.ts";
import { invalid, ObjectsError } from "../core/index.ts";
import { rolloutLine } from "./rollouts/rollout-text.ts";
import { compileDefinition, declaredVersion, loadRegexChecker } from "../definitions/index.ts";
import { contentHash, contextIssue, environmentOfKey, objectNotFound, parseRef, previewRefOf, resolveObjectRef, versionNaming, type IndexEntry } from "../registry/index.ts";
import { diffOfMove, withDiffs } from "./publication-diffs.ts";
import { publishedMove, type PipelineDeps } from "./pipeline/publish-commit.ts";
import { ownerOf } from "./pipeline/ownership.ts";

/** The registry and the runtime's two ports (trial load, refs changed), as every publishing path uses them. */
export type ObjectServiceDeps = Pick<PipelineDeps, "registry" | "trialLoad" | "refsChanged" | "previews">;

export interface PutRequest {
  id: string;
  body: unknown;
  /** `?version=` of the request, if any. */
  version?: string;
  /** `If-Match` of the request: the hash `latest` must hold now (null: the object must not exist yet). */
  expectLatest?: string | null;
  actor: string;
  /** The scopes of the token: recorded with the publication, they decide which objects it may reach. */
  scopes: string[];
}

function versionOf(definition: NormalizedDefinition, requested: string | undefined): string | undefined {
  const declared = declaredVersion(definition);
  if (requested === undefined) return declared;
  const version = semver.valid(requested);
  if (!version) throw invalid([{ path: "/$version", code: "version-invalid", message: `?version=${requested} is not a semver version` }]);
  if (declared !== undefined && declared !== version) {
    throw invalid([{ path: "/$version", code: "version-mismatch", message: `$version ${declared} differs from ?version=${version}` }]);
  }
  return version;
}

/** Creates the management service over the registry and the runtime's two ports. */
export function createObjectService({ registry, trialLoad, refsChanged, previews }: ObjectServiceDeps) {
  /** Moves `latest` to what `ref` names (rollback or promote), with the contract diff of the move. */
  async function moveLatest(id: string, ref: string, actor: string, message: string): Promise<MoveResponse> {
    const result = await registry.moveLatest(id, parseRef(ref), actor, message);
    await refsChanged(id, "moved", "production");
    return { id, latest: result.hash, previous: result.previous ?? null, diff: await diffOfMove(registry, id, result.previous, result.hash) };
  }

  return {
    async put({ id, body, version: requested, expectLatest, actor, scopes }: PutRequest) {
      await loadRegexChecker();
      const compiled = compileDefinition(body, { id });
      if (!compiled.ok) throw invalid(compiled.issues);
      const { definition } = compiled;
      const refused = await contextIssue(definition, scopes, registry.latestDefinition);
      if (refused) throw invalid([refused], refused.message);
      const version = versionOf(definition, requested);
      // A repository that owns the id publishes it again on its next push: the caller learns that now.
      const owner = ownerOf(await registry.state(id));
      const loadIssues = await trialLoad(definition, await contentHash(definition));
      if (loadIssues.length > 0) throw invalid(loadIssues, "the definition failed its trial load");
      const result = await registry.publish({
        definition,
        provenance: { source: "api", actor, scopes },
        ...(version ? { version } : {}),
        ...(expectLatest !== undefined ? { expect: { latest: expectLatest } } : {}),
      });
      if (result.changed) await refsChanged(id, "moved", "production", publishedMove(definition, result));
      const overwrote = owner && result.changed ? [{ path: "", code: "overwrote-git", message: `${id} is published from ${owner.source === "github" ? "the GitHub repository" : "the repository"} ${owner.repo}: this PUT replaced its latest, and the next push from ${owner.repo} replaces it again` }] : [];
      const warnings = [...compiled.warnings, ...overwrote];
      const rollout = result.rollout ? { rollout: { ...result.rollout, message: rolloutLine(id, result.rollout) } } : {};
      return { id, hash: result.hash, version: version ?? null, created: result.changed, stored: result.stored, ...(owner ? { owner } : {}), ...(warnings.length ? { warnings } : {}), ...rollout };
    },

    /** The definition `id@ref` serves (latest by default), with the object's refs and versions. */
    async describe(id: string, ref = "latest"): Promise<DescribeResponse> {
      const state = await registry.state(id);
      const hash = resolveObjectRef(id, state, parseRef(ref));
      const snapshot = await registry.snapshot(hash);
      return { id, ref, hash, refs: state.refs, versions: state.versions, definition: snapshot.definition, provenance: snapshot.provenance, ...(state.quarantined ? { quarantined: state.quarantined } : {}) };
    },

    /** Lets a quarantined version (by hash, or the one a ref names) run again; its schedules are set again. */
    async release(id: string, named: { hash: string } | { ref: string }): Promise<ReleaseResponse> {
      const state = await registry.state(id);
      const hash = "hash" in named ? named.hash : resolveObjectRef(id, state, parseRef(named.ref));
      if (!(await registry.release(id, hash))) throw new ObjectsError("not-quarantined", `${id} (${hash.slice(0, 12)}) is not quarantined`);
      await refsChanged(id, "moved", "production");
      return { id, hash, released: true };
    },

    /**
     * Retires an exact version (or restores it): calls that name it answer 410. Refused while a moving ref serves it,
     * and, unless forced, while `calls` counts any call of it in the window (the production object's usage).
     */
    async retire(id: string, body: RetireBody, by: string, calls: (hash: string, days: number) => Promise<RetireResponse["usage"]>): Promise<RetireResponse> {
      const ref = parseRef(body.ref);
      if (ref.kind !== "version" && ref.kind !== "hash") throw new ObjectsError("retire-body-invalid", `retire names one version: "${body.ref.slice(0, 80)}" moves (use v1.2.3 or a hash prefix)`);
      const state = await registry.state(id);
      const hash = resolveObjectRef(id, state, ref);
      const versions = Object.keys(state.versions).filter((version) => state.versions[version] === hash);
      const days = body.days ?? 30;
      if (body.restore) {
        if (!(await registry.retire(id, hash, null))) throw new ObjectsError("not-retired", `${id}@${body.ref} (${hash.slice(0, 12)}) is not retired`);
        await refsChanged(id, "moved", "production");
        return { id, hash, versions, retired: false, usage: await calls(hash, days) };
      }
      const serving = [...Object.entries(state.refs).filter(([, named]) => named === hash).map(([name]) => name), ...(isActive(state.rollout) && state.rollout.canary === hash ? ["the running rollout (as its canary)"] : [])];
      if (serving.length) throw new ObjectsError("version-serving", `${id}@${body.ref} (${hash.slice(0, 12)}) is what ${serving.join(", ")} serves: move ${serving.length > 1 ? "them" : "it"} first (publish, or objects rollback)`);
      const usage = await calls(hash, days);
      if (usage.calls > 0 && !body.force) {
        throw new ObjectsError("version-in-use", `${id}@${body.ref} (${hash.slice(0, 12)}) answered ${usage.calls} calls in the last ${days} days, last at ${usage.lastSeen}: see GET /${id}/__usage?ref=${hash.slice(0, 12)}, or retire with force`);
      }
      const latest = state.refs.latest;
      const latestVersion = latest ? versionNaming(state, latest) : undefined;
      const replacedBy = latest ? { hash: latest, ...(latestVersion ? { version: latestVersion } : {}) } : undefined;
      await registry.retire(id, hash, { at: new Date().toISOString(), by, ...(usage.calls > 0 ? { calls: usage.calls } : {}), ...(replacedBy ? { replacedBy } : {}) });
      await refsChanged(id, "moved", "production");
      return { id, hash, versions, retired: true, usage };
    },

    /** What the local supervisor saw freeze or kill the runtime: each version quarantined (for every environment). */
    async quarantine(id: string, hash: string, record: { reason: string; what: string; environment: string }) {
      await registry.quarantine(id, hash, record);
      await refsChanged(id, "moved", "production");
    },

    /** The history, newest first; with `diffs`, the newest publications carry their contract diff against the one they replaced. */
    async versions(id: string, diffs = false): Promise<HistoryResponse> {
      const state = await registry.state(id);
      if (state.publications.length === 0) throw objectNotFound(id);
      const publications = diffs ? await withDiffs(registry, state) : [...state.publications];
      return { id, refs: state.refs, versions: state.versions, publications: publications.reverse(), ...(state.quarantined ? { quarantined: state.quarantined } : {}), ...(state.retired ? { retired: state.retired } : {}) };
    },

    /** Objects in id order that `covers` lets the caller see; pages through the index until `limit` are found. */
    async list(covers: (id: string) => boolean, after: string | undefined, limit: number): Promise<ListingResponse> {
      const found: IndexEntry[] = [];
      let cursor = after;
      let exhausted = false;
      // Scopes filter after reading: a narrow token over a large index reads at most 20 pages per request.
      for (let page = 0; page < 20 && found.length <= limit && !exhausted; page++) {
        const entries = await registry.list({ ...(cursor !== undefined ? { after: cursor } : {}), limit: 500 });
        found.push(...entries.filter((entry) => covers(entry.id)));
        exhausted = entries.length < 500;
        cursor = entries.at(-1)?.id ?? cursor;
      }
      const objects = found.slice(0, limit);
      const next = found.length > limit ? objects.at(-1)!.id : exhausted ? null : (cursor ?? null);
      return { objects, next };
    },

    /** One page of rebuilding the object index from the stored snapshots. */
    reindex: (cursor: string | undefined) => registry.reindex({ limit: 100, ...(cursor ? { cursor } : {}) }),

    /** Whose state `id@ref` runs on, for the views of one environment (`__calls`, `__usage`). */
    environment: (id: string, ref: string) => registry.environment(id, parseRef(ref)),

    rollback: (id: string, to: string, actor: string) => moveLatest(id, to, actor, `rollback to ${to}`),

    /** Serves what a preview, branch or version holds at `latest`: the same move as a rollback, forward. */
    promote: (id: string, from: string, actor: string) => moveLatest(id, from, actor, `promote ${from}`),

    /** Deletes the object everywhere: its refs, and the state of every environment its refs ran in (previews too). */
    async remove(id: string) {
      const refs = Object.keys((await registry.state(id)).refs);
      const existed = await registry.remove(id);
      if (!existed) throw objectNotFound(id);
      const environments = new Set(["production", ...refs.map(environmentOfKey)]);
      for (const environment of environments) await refsChanged(id, "deleted", environment);
      for (const key of refs) if (previewRefOf(key)) await previews?.drop(key, [id]);
    },
  };
}

export type ObjectService = ReturnType<typeof createObjectService>;
