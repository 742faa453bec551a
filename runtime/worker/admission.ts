// Admission of one request to an object: its `config.limits` rates, per object and per caller, taken from the
// object's LimiterDO. Objects without rate limits pay nothing (no hop).
import { ObjectsError } from "../../core/index.ts";
import { LimitsSchema, type Limits } from "../../schemas/index.ts";
import type { Target } from "./dispatch.ts";
import type { PreparedVersion } from "../executor/loader.ts";
import type { BucketRequest, LimiterDO } from "./limiter-do.ts";
import type { ResolvedVersion } from "../executor/version-cache.ts";

export interface AdmissionDeps {
  limiter(environment: string, id: string): DurableObjectStub<LimiterDO>;
  /** The caller a per-caller limit counts: a verified token's subject, else the client's address. */
  callerOf(request: Request): Promise<string>;
}

const limitsCache = new WeakMap<PreparedVersion["snapshot"], Limits>();

/** The limits of a version (validated at publish; parsed once per version). */
export function limitsOf(version: PreparedVersion): Limits {
  let limits = limitsCache.get(version.snapshot);
  if (!limits) {
    const parsed = LimitsSchema.safeParse((version.snapshot.definition.config as Record<string, unknown> | undefined)?.limits ?? {});
    limitsCache.set(version.snapshot, (limits = parsed.success ? parsed.data : {}));
  }
  return limits;
}

/** Whether a version sets any rate limit (only then does a request take a token). */
export function isRateLimited(version: PreparedVersion): boolean {
  const { requestsPerMinute, perCallerPerMinute } = limitsOf(version);
  return Boolean(requestsPerMinute || perCallerPerMinute);
}

/** Throws 429 with Retry-After when the object, or this caller, has used up its rate. */
export async function admit(deps: AdmissionDeps, target: Target, version: ResolvedVersion, request: Request): Promise<void> {
  const { requestsPerMinute, perCallerPerMinute } = limitsOf(version);
  if (!requestsPerMinute && !perCallerPerMinute) return;
  const buckets: BucketRequest[] = [];
  if (requestsPerMinute) buckets.push({ key: "object", perMinute: requestsPerMinute });
  if (perCallerPerMinute) buckets.push({ key: `caller:${await deps.callerOf(request)}`, perMinute: perCallerPerMinute });
  const result = await deps.limiter(target.environment, target.id).take(buckets);
  if (result.ok) return;
  const who = result.key === "object" ? `${target.id} takes at most ${requestsPerMinute} requests a minute` : `one caller may make at most ${perCallerPerMinute} requests a minute to ${target.id}`;
  throw new ObjectsError(result.key === "object" ? "rate-limited" : "rate-limited-caller", `${who}: retry in ${result.retryAfterSeconds} s`, {
    headers: { "retry-after": String(result.retryAfterSeconds) },
  });
}
