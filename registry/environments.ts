// Whose state a version runs on (pure). Production's state runs only code production published (latest, a version,
// a rollout's canary); a version published only to a branch or preview runs in that environment, whatever names it.
import type { RefState } from "../schemas/index.ts";
import { ObjectsError } from "../core/index.ts";
import { environmentLabel, environmentOf, parseRef, type Ref } from "./ref.ts";
import { resolveObjectRef } from "./resolve.ts";

export const PRODUCTION = "production";

/** The environment a stored moving-ref key runs in: `latest` → production, `heads/x` → `branch-x`, `pr-7`, `preview-t`. */
export function environmentOfKey(key: string): string {
  const ref = parseRef(key);
  // Keys are written by refKey(): a branch that reads as a hash is stored as `heads/<name>`.
  if (ref.kind === "hash") throw new Error(`"${key}" is not a moving ref's key`);
  return environmentOf(ref);
}

/** Every environment that published `hash`, in the order it first reached each (production first when it did). */
export function environmentsOf(state: RefState, hash: string): string[] {
  const found = new Set<string>();
  for (const publication of state.publications) {
    if (publication.hash !== hash) continue;
    // A version (a tag, `$version` on the default branch) and a rollout's canary are production's releases.
    if (publication.version !== undefined || publication.rollout !== undefined) found.add(PRODUCTION);
    for (const key of publication.refs) found.add(environmentOfKey(key));
  }
  return found.has(PRODUCTION) ? [PRODUCTION, ...[...found].filter((name) => name !== PRODUCTION)] : [...found];
}

/** Whether the object still has an environment: production always; another while its ref there exists or left a tombstone. */
function isLive(state: RefState, environment: string): boolean {
  if (environment === PRODUCTION) return true;
  return [...Object.keys(state.refs), ...Object.keys(state.gone)].some((key) => environmentOfKey(key) === environment);
}

/**
 * The environment content named by its hash runs in: production when production ever published it; else the first
 * environment that published it and still exists (stable: a later preview of the same commit does not move it).
 * Throws `environment-gone` (410) when every environment that published it was deleted.
 */
export function hashEnvironment(id: string, state: RefState, hash: string, named: string): string {
  const environments = environmentsOf(state, hash);
  const live = environments.find((environment) => isLive(state, environment));
  if (live) return live;
  const where = environments.map(environmentLabel).join(", ");
  throw new ObjectsError("environment-gone", `${id}@${named} was published only to ${where || "an environment"}, which is deleted; it never reached production, so it does not run on production's state`);
}

/** What `id@ref` names and whose state it runs on: a moving ref its own environment, a version production, a hash as above. */
export function resolveTarget(id: string, state: RefState, ref: Ref): { hash: string; environment: string } {
  const hash = resolveObjectRef(id, state, ref);
  switch (ref.kind) {
    case "hash":
      return { hash, environment: hashEnvironment(id, state, hash, ref.prefix) };
    default:
      return { hash, environment: environmentOf(ref) };
  }
}
