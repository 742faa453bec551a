// Loads a snapshot's generated worker through the Worker Loader: cached per version, or tried once at publish.
import type { Issue } from "../../schemas/index.ts";
import { listMethods, pointerOf, type Snapshot } from "../../registry/index.ts";
import { buildWorkerModules, type WorkerModules } from "./module.ts";

/** Bump when the generated module's shape changes: it is part of every loader id, so old isolates are never reused. */
export const RUNTIME_VERSION = "4";
export const SANDBOX_COMPATIBILITY_DATE = "2026-04-01";

export type SandboxReply =
  | { ok: true; json: string }
  | { ok: false; code: "method-not-found" | "method-failed" | "cpu-limit" | "call-timeout"; name: string; message: string };


/** What a page's expressions see as `page`. */
export interface PageInfo {
  path: string;
  query: Record<string, string>;
  /** On app pages: who is signed in (`sub`, `provider`, `email`, `name`). */
  user?: { sub: string; provider: string; email?: string; name?: string };
}

/** One use of a definition component on a page: literal props, and props taken from expression values by id. */
export interface ComponentCall {
  name: string;
  props: Record<string, unknown>;
  expressions: Record<string, number>;
}

/** The RPC surface of a loaded definition (the class the prelude creates). */
export interface SandboxEntrypoint {
  call(name: string, params: unknown[], host: unknown): Promise<SandboxReply>;
  event(index: number, data: unknown, host: unknown, event: { name: string; source: string; hops: number }): Promise<SandboxReply>;
  schedule(index: number, host: unknown, tick: { pattern: string; at: string }): Promise<SandboxReply>;
  /** Evaluates a page's expressions and the definition components it uses (`calls`, in document order). */
  page(key: string, info: PageInfo, calls: ComponentCall[], host: unknown): Promise<SandboxReply>;
  check(): Promise<Array<{ name: string; message: string }>>;
}

/** A snapshot with its generated modules: pure data, cached per content hash wherever it is used. */
export interface PreparedVersion {
  snapshot: Snapshot;
  built: WorkerModules;
}

/** Limits of every call into a sandbox, fixed when it is loaded (they reach it as JSON in its env). */
export interface SandboxOptions {
  /** Production backstop: enforced by Cloudflare, not by local workerd (the guards cover that). */
  cpuMs: number;
  /** Guard ticks (function entries and loop iterations) one call may spend: stops sync code. */
  ticks: number;
  /** Wall-clock milliseconds of one call, checked by the guards: stops async code. */
  callMs: number;
}

/** The sandbox options of the runtime's limits. */
export const sandboxOptions = ({ cpuMs, ticks, callMs }: SandboxOptions): SandboxOptions => ({ cpuMs, ticks, callMs });

function workerCode(built: WorkerModules, { cpuMs, ticks, callMs }: SandboxOptions): WorkerLoaderWorkerCode {
  return {
    compatibilityDate: SANDBOX_COMPATIBILITY_DATE,
    mainModule: built.mainModule,
    modules: built.modules,
    env: { limits: { ticks, ms: callMs } },
    // Explicitly null: left out, the sandbox could reach the network.
    globalOutbound: null,
    limits: { cpuMs },
  };
}

/** The loader id hashes everything the isolate depends on, and names the object and environment so tenants never share. */
export function loaderId(objectId: string, environment: string, hash: string): string {
  return `v${RUNTIME_VERSION}:${environment}:${objectId}:${hash}`;
}

/** Generates a snapshot's modules once (acorn parse and instrumentation): cache the result per hash. */
export function prepareVersion(snapshot: Snapshot): PreparedVersion {
  return { snapshot, built: buildWorkerModules(snapshot) };
}

/**
 * The sandbox of one version of one object in one environment. `loader.get` returns the cached isolate after the
 * first call for an id, so this is cheap per request (and a stub is never carried across request contexts).
 */
export function sandboxOf(loader: WorkerLoader, { snapshot, built }: PreparedVersion, environment: string, options: SandboxOptions): SandboxEntrypoint {
  const stub = loader.get(loaderId(snapshot.definition.$id, environment, snapshot.hash), () => workerCode(built, options));
  return stub.getEntrypoint() as unknown as SandboxEntrypoint;
}

/** Loads new code once, uncached, and reports every function that fails to start or is not a function. */
export async function trialLoad(loader: WorkerLoader, snapshot: Snapshot, options: SandboxOptions): Promise<Issue[]> {
  let built: WorkerModules;
  try {
    built = buildWorkerModules(snapshot);
  } catch (error) {
    return [{ path: "", code: "load-failed", message: String((error as Error).message) }];
  }
  const methods = new Map(listMethods(snapshot.definition).map((method) => [method.name, method.name.split(".")]));
  try {
    const problems = await (loader.load(workerCode(built, options)).getEntrypoint() as unknown as SandboxEntrypoint).check();
    return problems.map(({ name, message }) => {
      const [kind, index] = name.split(" ");
      const path =
        kind === "event" ? pointerOf(["events", built.eventPatterns[Number(index)] ?? ""])
        : kind === "component" ? pointerOf(["components", index ?? ""])
        : kind === "schedule" ? pointerOf(["schedules", built.schedulePatterns[Number(index)] ?? ""])
        : pointerOf(["api", ...(methods.get(name) ?? [name])]);
      return { path, code: "load-failed", message };
    });
  } catch (error) {
    return [{ path: "", code: "load-failed", message: `the definition failed to start: ${String((error as Error).message).slice(0, 500)}` }];
  }
}
