// Which side of a running rollout answers (pure): the canary takes its share of callers, sticky per caller, else per
// request; the Worker splits calls to `@latest` with it (worker/rollout-dispatch.ts), the host a schedule's ticks.
import type { RunningRollout } from "../executor/version-cache.ts";

export type Arm = "stable" | "canary";

/** A caller's place in [0, 1): FNV-1a of the object id and the caller, so each object splits its callers its own way. */
export function callerPlace(id: string, caller: string): number {
  let hash = 0x811c9dc5;
  const text = `${id}\n${caller}`;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  // FNV's low bits mix poorly on short, similar keys: fold the high half in before taking the place.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return (hash >>> 0) / 2 ** 32;
}

/**
 * Places of anonymous requests: the golden-ratio sequence, so any run of n requests splits within a call or two of
 * the share (a coin per request would stray by √n), with no state shared between requests beyond one counter.
 */
export function createAnonymousPlaces(start = Math.random()) {
  let place = start;
  return () => (place = (place + 0.6180339887498949) % 1);
}

/**
 * The arm of one call. `method` is the API method called (undefined for pages and other surfaces): with a method list,
 * only those methods ramp. A place below the share is the canary's: as the share grows, a caller on the canary stays.
 */
export function chooseArm(rollout: RunningRollout, id: string, caller: string | null, method: string | undefined, anonymous: () => number): Arm {
  if (rollout.methods && (method === undefined || !rollout.methods.includes(method))) return "stable";
  const place = caller === null ? anonymous() : callerPlace(id, caller);
  return place * 100 < rollout.weight ? "canary" : "stable";
}
