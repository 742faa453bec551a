// Ref resolution: an object's ref state and a parsed ref in, the content hash it names out (pure).
import semver from "semver";
import type { RefState } from "../schemas/index.ts";
import { ObjectsError } from "./errors.ts";
import { printRef, refKey, type Ref } from "./ref.ts";

/** Every content hash the object ever published, oldest first, without repeats. */
export function publishedHashes(state: RefState): string[] {
  return [...new Set(state.publications.map((publication) => publication.hash))];
}

/** The highest published version satisfying a semver range, or undefined. */
export function highestMatching(state: RefState, range: string): string | undefined {
  return semver.maxSatisfying(Object.keys(state.versions), range) ?? undefined;
}

/**
 * Resolves a ref to a content hash. Throws `ref-not-found` (404) when nothing matches and `ref-ambiguous` (409,
 * with `candidates`) when a hash prefix names more than one published snapshot.
 */
export function resolveRef(id: string, state: RefState, ref: Ref): string {
  const missing = () => new ObjectsError("not-found", "ref-not-found", `${id}@${printRef(ref)} does not exist`);
  switch (ref.kind) {
    case "latest":
    case "pr":
    case "branch": {
      const hash = state.refs[refKey(ref)];
      if (!hash) throw missing();
      return hash;
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
      const matches = publishedHashes(state).filter((hash) => hash.startsWith(ref.prefix));
      if (matches.length === 0) throw missing();
      if (matches.length > 1) {
        throw new ObjectsError("conflict", "ref-ambiguous", `${id}@${ref.prefix} matches ${matches.length} snapshots`, {
          candidates: matches,
        });
      }
      return matches[0]!;
    }
  }
}
