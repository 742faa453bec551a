// What a publication is compared against (pure): the version it succeeds, else what its ref serves now.
import semver from "semver";
import { versionNaming } from "../../registry/index.ts";
import type { RefState } from "../../schemas/index.ts";
import { movingRef, type GitTarget } from "./targets.ts";

export interface Baseline {
  hash: string;
  version?: string;
}

/**
 * A new version is compared with the highest version below it (what `^` clients ran until now); anything else with
 * what its moving ref serves now, or `latest` for a branch, preview or tag that has not published this object yet.
 */
export function baselineOf(state: RefState, target: GitTarget, version: string | undefined): Baseline | null {
  if (version) {
    const below = semver.rsort(Object.keys(state.versions).filter((v) => semver.lt(v, version)))[0];
    if (below) return { hash: state.versions[below]!, version: below };
  }
  // A preview is compared with production (what merging it would change), a branch with its own last publication.
  const hash = (target.kind === "branch" ? state.refs[movingRef(target)] : undefined) ?? state.refs.latest;
  if (!hash) return null;
  const named = versionNaming(state, hash);
  return { hash, ...(named ? { version: named } : {}) };
}
