// The decision of a publication, pure: given the current ref state and a command, what changes (or why not).
import type { Publication, RefState } from "../schemas/index.ts";
import { ObjectsError } from "../core/index.ts";
import type { PublishCommand, PublishOutcome } from "./ports.ts";

export interface PublishPlan {
  outcome: PublishOutcome;
  setRefs: Record<string, string>;
  addVersion?: { version: string; hash: string };
  addCommit?: { sha: string; hash: string };
  publication?: Omit<Publication, "seq">;
}

/** Checks version immutability and every compare-and-swap expectation, then lists the writes to make. */
export function planPublish(state: RefState, command: PublishCommand): PublishPlan {
  const { hash, version, refs, expect = {}, provenance } = command;
  for (const [ref, expected] of Object.entries(expect)) {
    const current = state.refs[ref] ?? null;
    if (current !== expected) {
      throw new ObjectsError("ref-moved", `ref "${ref}" moved: expected ${expected ?? "none"}, found ${current ?? "none"}`, {
        retryable: true,
      });
    }
  }
  const existing = version === undefined ? undefined : state.versions[version];
  if (existing !== undefined && existing !== hash) {
    throw new ObjectsError("version-immutable", `version ${version} is already published with other content (${existing.slice(0, 12)})`);
  }
  const previous: Record<string, string> = {};
  const setRefs: Record<string, string> = {};
  for (const ref of refs) {
    const current = state.refs[ref];
    if (current !== undefined) previous[ref] = current;
    if (current !== hash) setRefs[ref] = hash;
  }
  const addVersion = version !== undefined && existing === undefined ? { version, hash } : undefined;
  // A commit keeps the content it was first published with (a re-run of the same commit changes nothing).
  const commit = provenance.commit;
  const addCommit = commit !== undefined && state.commits[commit] === undefined ? { sha: commit, hash } : undefined;
  const changed = Object.keys(setRefs).length > 0 || addVersion !== undefined;
  return {
    outcome: { changed, previous },
    setRefs,
    ...(addVersion ? { addVersion } : {}),
    ...(addCommit ? { addCommit } : {}),
    ...(changed ? { publication: { hash, ...(version ? { version } : {}), refs: Object.keys(setRefs), provenance } } : {}),
  };
}
