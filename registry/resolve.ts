// Ref resolution: an object's ref state and a parsed ref in, the content hash it names out (pure).
import semver from "semver";
import type { RefState } from "../schemas/index.ts";
import { ObjectsError } from "../core/index.ts";
import { printRef, refKey, type Ref } from "./ref.ts";

/** Every content hash the object ever published, oldest first, without repeats. */
export function publishedHashes(state: RefState): string[] {
  return [...new Set(state.publications.map((publication) => publication.hash))];
}

/** The highest published version satisfying a semver range, or undefined; a retired version is never chosen. */
export function highestMatching(state: RefState, range: string): string | undefined {
  const live = Object.keys(state.versions).filter((version) => !state.retired?.[state.versions[version]!]);
  return semver.maxSatisfying(live, range) ?? undefined;
}

/** The highest version that names a hash (how people know that content), if any. */
export function versionNaming(state: Pick<RefState, "versions">, hash: string): string | undefined {
  return semver.rsort(Object.entries(state.versions).filter(([, named]) => named === hash).map(([version]) => version))[0];
}

/** Content hashes and commit shas starting with a prefix, each with the content hash it names. */
function prefixMatches(state: RefState, prefix: string): Array<[string, string]> {
  const hashes = publishedHashes(state).filter((hash) => hash.startsWith(prefix)).map((hash): [string, string] => [hash, hash]);
  const commits = Object.entries(state.commits).filter(([sha]) => sha.startsWith(prefix));
  return [...hashes, ...commits];
}

/** The one "no such object" answer, for an id that never published (a removed one answers 410 from its refs). */
export const objectNotFound = (id: string) => new ObjectsError("object-not-found", `no object "${id}"`);

/** What `id@ref` names: 404 `object-not-found` when the object never published, else as `resolveRef`. */
export function resolveObjectRef(id: string, state: RefState, ref: Ref): string {
  if (state.publications.length === 0) throw objectNotFound(id);
  return resolveRef(id, state, ref);
}

/**
 * Resolves a ref to a content hash. Throws `ref-not-found` (404) when nothing matches, `object-removed` (410, naming
 * the last commit that had it) when the object left that branch, and `ref-ambiguous` (409, with `candidates`) when a
 * prefix of a content hash or commit sha names more than one snapshot.
 */
export function resolveRef(id: string, state: RefState, ref: Ref): string {
  const missing = () => new ObjectsError("ref-not-found", `${id}@${printRef(ref)} does not exist`);
  switch (ref.kind) {
    case "latest":
    case "pr":
    case "topic":
    case "branch": {
      const hash = state.refs[refKey(ref)];
      if (hash) return hash;
      const tombstone = state.gone[refKey(ref)];
      if (tombstone) {
        const last = tombstone.lastCommit ? `; the last commit that had it is ${tombstone.lastCommit.slice(0, 12)}` : "";
        throw new ObjectsError("object-removed", `${id} was removed from @${printRef(ref)}${tombstone.removedBy ? ` by commit ${tombstone.removedBy.slice(0, 12)}` : ""}${last}`);
      }
      throw missing();
    }
    case "version": {
      const hash = state.versions[ref.version];
      if (!hash) throw missing();
      return hash;
    }
    case "range": {
      const version = highestMatching(state, ref.range);
      if (!version) throw missing();
      return state.versions[version]!;
    }
    case "hash": {
      const matches = prefixMatches(state, ref.prefix);
      if (matches.length === 0) throw missing();
      const targets = new Set(matches.map(([, hash]) => hash));
      if (targets.size > 1) {
        throw new ObjectsError("ref-ambiguous", `${id}@${ref.prefix} matches ${targets.size} snapshots`, {
          candidates: matches.map(([name]) => name),
        });
      }
      return matches[0]![1];
    }
  }
}
