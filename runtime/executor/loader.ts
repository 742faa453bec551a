// Loads a snapshot's generated worker through the Worker Loader: cached per version, or tried once at publish.
import type { Issue } from "../../schemas/index.ts";
import { formatLoaderId, pointerOf } from "../../core/index.ts";
import { listMethods } from "../../definitions/index.ts";
import { type Snapshot } from "../../registry/index.ts";
import { DEFAULT_STORAGE_BYTES, LimitsSchema } from "../../schemas/index.ts";
import { DEFAULT_QUOTAS } from "../services/platform.ts";
import { buildWorkerModules, REDACT_KEY, type WorkerModules } from "./module.ts";
import { supervised } from "./in-flight.ts";
import type { CheckProblem, SandboxEntrypoint, SandboxEnv } from "../shared/sandbox-protocol.ts";

export type { ComponentCall, PageInfo, SandboxEntrypoint, SandboxReply, TickInfo, WireReply } from "../shared/sandbox-protocol.ts";

/** Bump when the generated module's shape changes: it is part of every loader id, so old isolates are never reused. */
export const RUNTIME_VERSION = "11";
export const SANDBOX_COMPATIBILITY_DATE = "2026-04-01";

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
  /** Characters of JSON one result may hold (checked in the sandbox, before the result crosses RPC). */
  maxResultBytes: number;
  /** Hops an event may make: the sandbox runs no handler of an event this deep. */
  maxEventDepth: number;
  /** The local supervisor's secret (`npm start`): the host then notes when each call starts and ends. */
  marker?: string;
  /** Calls of a version noted before the host trusts it; -1: never (see in-flight.ts). */
  trustAfter?: number;
  /** Uses of `$.fsx` one call may make (the facet counts them: they never reach the host). */
  fsxPerCall: number;
}

/** The sandbox options of the runtime's limits. */
export const sandboxOptions = ({ cpuMs, ticks, callMs, maxResultBytes, maxEventDepth, marker, trustAfter }: Omit<SandboxOptions, "fsxPerCall">, fsxPerCall = DEFAULT_QUOTAS.fsx): SandboxOptions => ({ cpuMs, ticks, callMs, maxResultBytes, maxEventDepth, fsxPerCall, ...(marker ? { marker, trustAfter: trustAfter ?? 100 } : {}) });

/** The object's storage quota a version declares (`config.limits.storageBytes`), else the platform's. */
function storageBytesOf(snapshot: Snapshot): number {
  const limits = LimitsSchema.safeParse((snapshot.definition.config as Record<string, unknown> | undefined)?.limits ?? {});
  return (limits.success ? limits.data.storageBytes : undefined) ?? DEFAULT_STORAGE_BYTES;
}

function workerCode({ snapshot, built }: PreparedVersion, { cpuMs, ticks, callMs, maxResultBytes, maxEventDepth, fsxPerCall }: SandboxOptions): WorkerLoaderWorkerCode {
  const env: SandboxEnv = { limits: { ticks, ms: callMs, maxResultChars: maxResultBytes, maxEventDepth }, state: { storageBytes: storageBytesOf(snapshot), fsxPerCall } };
  return {
    compatibilityDate: SANDBOX_COMPATIBILITY_DATE,
    mainModule: built.mainModule,
    modules: built.modules,
    env: env as unknown as Record<string, unknown>,
    // Explicitly null: left out, the sandbox could reach the network.
    globalOutbound: null,
    limits: { cpuMs },
  };
}

/** The loader id hashes everything the isolate depends on, and names the object and environment so tenants never share. */
export function loaderId(objectId: string, environment: string, hash: string): string {
  return formatLoaderId({ runtime: RUNTIME_VERSION, environment, id: objectId, hash });
}

/** Generates a snapshot's modules once (acorn parse and instrumentation): cache the result per hash. */
export function prepareVersion(snapshot: Snapshot): PreparedVersion {
  return { snapshot, built: buildWorkerModules(snapshot) };
}

/**
 * The sandbox of one version of one object in one environment. `loader.get` returns the cached isolate after the
 * first call for an id, so this is cheap per request (and a stub is never carried across request contexts). Under the
 * local supervisor its calls are noted (in-flight.ts).
 */
export function sandboxOf(loader: WorkerLoader, version: PreparedVersion, environment: string, options: SandboxOptions): SandboxEntrypoint {
  const id = loaderId(version.snapshot.definition.$id, environment, version.snapshot.hash);
  const sandbox = loader.get(id, () => workerCode(version, options)).getEntrypoint() as unknown as SandboxEntrypoint;
  return options.marker ? supervised(sandbox, { marker: options.marker, label: id, trustAfter: options.trustAfter ?? 100 }) : sandbox;
}

/** The facet class of one version in one environment: the same isolate as its sandbox (one loader id). */
export function facetClassOf(loader: WorkerLoader, version: PreparedVersion, environment: string, options: SandboxOptions): DurableObjectClass {
  const id = loaderId(version.snapshot.definition.$id, environment, version.snapshot.hash);
  return loader.get(id, () => workerCode(version, options)).getDurableObjectClass("State");
}

/** The user-code calls of a facet, noted for the local supervisor as a sandbox's are. */
export function supervisedCalls(entry: SandboxEntrypoint, version: PreparedVersion, environment: string, options: SandboxOptions): SandboxEntrypoint {
  if (!options.marker) return entry;
  return supervised(entry, { marker: options.marker, label: loaderId(version.snapshot.definition.$id, environment, version.snapshot.hash), trustAfter: options.trustAfter ?? 100 });
}

/** Where a problem of the trial load sits in the definition. */
function pointerOfProblem({ kind, key }: CheckProblem, methods: Map<string, string[]>): string {
  if (kind === "event") return pointerOf(["events", key]);
  if (kind === "schedule") return key === REDACT_KEY ? "/preview/redact" : pointerOf(["schedules", key]);
  if (kind === "component") return pointerOf(["components", key]);
  if (kind === "page") return pointerOf([key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)]);
  return pointerOf(["api", ...(methods.get(key) ?? [key])]);
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
    const problems = await (loader.load(workerCode({ snapshot, built }, options)).getEntrypoint() as unknown as SandboxEntrypoint).check();
    return problems.map((problem) => ({ path: pointerOfProblem(problem, methods), code: "load-failed", message: problem.message }));
  } catch (error) {
    return [{ path: "", code: "load-failed", message: `the definition failed to start: ${String((error as Error).message).slice(0, 500)}` }];
  }
}
