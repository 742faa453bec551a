// The decision of a publication, pure: given the current ref state and a command, what changes (or why not).
import type { Publication, RefState, Rollout } from "../schemas/index.ts";
import { ObjectsError } from "../core/index.ts";
import type { PublishCommand, PublishOutcome } from "./ports.ts";
import { rolloutOnPublish } from "./rollout-plan.ts";

export interface PublishPlan {
  outcome: PublishOutcome;
  setRefs: Record<string, string>;
  addVersion?: { version: string; hash: string };
  addCommit?: { sha: string; hash: string };
  publication?: Omit<Publication, "seq">;
  /** The rollout record to store, when the publication started, replaced or ended one. */
  rollout?: Rollout;
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
  const rollout = refs.includes("latest") ? rolloutOnPublish(state, hash, command.rollout ?? null, provenance.at, provenance.actor) : undefined;
  const previous: Record<string, string> = {};
  const setRefs: Record<string, string> = {};
  for (const ref of refs) {
    const current = state.refs[ref];
    if (current !== undefined) previous[ref] = current;
    // A rollout keeps `latest` on the stable version: the canary takes its share of calls from the rollout record.
    if (current !== hash && (ref !== "latest" || rollout?.moveLatest !== false)) setRefs[ref] = hash;
  }
  const started = rollout?.change === "started" || rollout?.change === "replaced" ? rollout.rollout!.id : undefined;
  const addVersion = version !== undefined && existing === undefined ? { version, hash } : undefined;
  // A commit keeps the content it was first published with (a re-run of the same commit changes nothing).
  const commit = provenance.commit;
  const addCommit = commit !== undefined && state.commits[commit] === undefined ? { sha: commit, hash } : undefined;
  const record = rollout?.rollout && rollout.change ? { change: rollout.change, record: rollout.rollout } : undefined;
  const changed = Object.keys(setRefs).length > 0 || addVersion !== undefined || record !== undefined;
  return {
    outcome: { changed, previous, ...(record ? { rollout: record } : {}) },
    ...(rollout?.rollout ? { rollout: rollout.rollout } : {}),
    setRefs,
    ...(addVersion ? { addVersion } : {}),
    ...(addCommit ? { addCommit } : {}),
    ...(changed ? { publication: { hash, ...(version ? { version } : {}), refs: Object.keys(setRefs), provenance, ...(started ? { rollout: started } : {}) } } : {}),
  };
}
