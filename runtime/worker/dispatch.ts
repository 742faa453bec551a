// Where a call runs: a stateless method (its source names no `$`, or reads only the definition's own fields) runs in
// the sandbox straight from the Worker (one hop, like a static Durable Object call); any other runs in the ObjectDO,
// which owns the object's state.
import { ObjectsError, type Result } from "../../core/index.ts";
import { settleCall } from "../executor/invoke.ts";
import { sandboxOf, sandboxOptions } from "../executor/loader.ts";
import type { RuntimeLimits } from "../shared/limits.ts";
import type { ComponentCall, PageInfo } from "../executor/loader.ts";
import type { ObjectCall } from "../shared/object-calls.ts";
import type { Address, Target } from "../shared/target.ts";

export type { Address, Target };
import type { HostRpc } from "../shared/host-rpc.ts";
import type { ResolvedVersion } from "../executor/version-cache.ts";


/** Hono's environment of the runtime app: every route under an object knows its target. */
export type RuntimeEnv = { Variables: { address: Address } };

export interface DispatchDeps {
  loader: WorkerLoader;
  limits: RuntimeLimits;
  /** The host object of an id (every environment's state, in its facets). */
  host(id: string): HostRpc;
}

/** Runs `method` of the resolved version; unknown methods are answered without any hop. */
export async function dispatchCall(deps: DispatchDeps, target: Target, version: ResolvedVersion, method: string, params: unknown[]): Promise<Result<{ json: string }>> {
  const label = `${target.id}@${target.ref}`;
  if (!version.built.methods.has(method)) {
    throw new ObjectsError("method-not-found", `${label} has no method "${method}"`);
  }
  const { limits } = deps;
  if (version.built.stateless.has(method)) {
    const sandbox = sandboxOf(deps.loader, version, target.environment, sandboxOptions(limits));
    return settleCall(sandbox.call(method, params, undefined), label, method, limits);
  }
  const call: ObjectCall = { id: target.id, environment: target.environment, hash: version.snapshot.hash, label, method, params, ...(target.head ? { head: true } : {}) };
  return deps.host(target.id).invoke(call);
}

/** Evaluates the expressions and components of one page: in the Worker when none names `$`, else in the ObjectDO. */
export function dispatchPage(deps: DispatchDeps, target: Target, version: ResolvedVersion, key: string, info: PageInfo, calls: ComponentCall[]): Promise<Result<{ json: string }>> {
  const label = `${target.id}@${target.ref}`;
  if (version.built.pages.stateless.has(key)) {
    const sandbox = sandboxOf(deps.loader, version, target.environment, sandboxOptions(deps.limits));
    return settleCall(sandbox.page(key, info, calls, undefined), label, `page ${key}`, deps.limits);
  }
  return deps.host(target.id).page({ id: target.id, environment: target.environment, hash: version.snapshot.hash, label, key, info, calls, ...(target.head ? { head: true } : {}) });
}
