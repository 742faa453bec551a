// ObjectDO: one object in one environment. Holds its state, resolves the requested version and runs calls in it.
import { DurableObject } from "cloudflare:workers";
import { asObjectsError, ObjectsError, parseRef, resolveRef, type ErrorKind, type Registry } from "../registry/index.ts";
import { createDocuments, type DocumentCall } from "./context/documents.ts";
import { HostContext } from "./context/host-context.ts";
import { matchingHandlers } from "./events.ts";
import { loadVersion, type LoadedVersion, type SandboxReply } from "./executor/loader.ts";
import { schemaView, type SchemaView } from "./schema-view.ts";
import type { RuntimeLimits } from "./limits.ts";

export interface ObjectDeps {
  registry: Pick<Registry, "state" | "snapshot">;
  loader: WorkerLoader;
  limits: RuntimeLimits;
}

/** Which object, environment and ref a call is for (the Worker routes by environment; the DO trusts it). */
export interface Target {
  id: string;
  environment: string;
  ref: string;
}

/** Failures cross RPC as values; the Worker turns them into problem responses. */
export type Failure = { kind: ErrorKind; code: string; message: string; candidates?: string[] };
export type Reply<T> = { ok: true; value: T } | { ok: false; failure: Failure };

interface Resolved {
  hash: string;
  versions: string[];
  until: number;
}

const MAX_CACHED_VERSIONS = 32;
const TIMED_OUT = Symbol("timed out");

function failed(error: unknown): { ok: false; failure: Failure } {
  const { kind, code, message, details } = asObjectsError(error);
  return { ok: false, failure: { kind, code, message, ...(details.candidates ? { candidates: details.candidates } : {}) } };
}

function sandboxFailure(reply: Exclude<SandboxReply, { ok: true }>, target: Target, method: string, limits: RuntimeLimits): Failure {
  switch (reply.code) {
    case "method-not-found":
      return { kind: "not-found", code: "method-not-found", message: `${target.id}@${target.ref} has no method "${method}"` };
    case "cpu-limit":
      return { kind: "timeout", code: "cpu-limit", message: `${method} used up its CPU budget and was stopped` };
    case "call-timeout":
      return { kind: "timeout", code: "call-timeout", message: `${method} ran longer than ${limits.callMs} ms` };
    case "method-failed":
      return { kind: "method-failed", code: "method-failed", message: `${reply.name}: ${reply.message}` };
  }
}

// The sandbox's call itself rejected: workerd cancelled code that hung with nothing pending, or the isolate died.
const sandboxFailed = (method: string) =>
  new ObjectsError("method-failed", "sandbox-failed", `${method} ended without a result: it hung with nothing pending, crashed or ran out of memory`);

/** The runtime's Durable Object; `deps()` is supplied by the composition root, which picks the adapters. */
export abstract class ObjectDOBase extends DurableObject {
  protected abstract deps(): ObjectDeps;
  private readonly resolved = new Map<string, Resolved>();
  private readonly loaded = new Map<string, LoadedVersion>();
  private documents: DocumentCall = createDocuments(this.ctx.storage.sql);
  private cachedDeps?: ObjectDeps;

  private get dependencies(): ObjectDeps {
    return (this.cachedDeps ??= this.deps());
  }

  /** Runs one API method of the version `target.ref` names; the result comes back as JSON text. */
  async invoke(target: Target, method: string, params: unknown[]): Promise<Reply<{ json: string; hash: string }>> {
    try {
      const { version } = await this.version(target);
      const { limits } = this.dependencies;
      const host = version.contextFree.has(method) ? undefined : this.host(version, 0);
      const call = version.entry.call(method, params, host, { ticks: limits.ticks, ms: limits.callMs }).catch(() => {
        throw sandboxFailed(method);
      });
      const reply = await this.withDeadline(call);
      if (reply === TIMED_OUT) return failed(new ObjectsError("timeout", "call-timeout", `${method} ran longer than ${limits.callMs} ms`));
      if (!reply.ok) return { ok: false, failure: sandboxFailure(reply, target, method, limits) };
      if (reply.json.length > limits.maxResultBytes) {
        return failed(new ObjectsError("too-large", "result-too-large", `the result of ${method} exceeds ${limits.maxResultBytes} bytes`));
      }
      return { ok: true, value: { json: reply.json, hash: version.snapshot.hash } };
    } catch (error) {
      return failed(error);
    }
  }

  /** The callable surface of the version `target.ref` names. */
  async schema(target: Target): Promise<Reply<SchemaView>> {
    try {
      const { version, versions } = await this.version(target);
      return { ok: true, value: schemaView(version.snapshot, versions) };
    } catch (error) {
      return failed(error);
    }
  }

  /** The source of one site page of the version `target.ref` names (rendering is the site renderer's job). */
  async page(target: Target, path: string): Promise<Reply<string | null>> {
    try {
      const { version } = await this.version(target);
      return { ok: true, value: version.snapshot.definition.site?.[path] ?? null };
    } catch (error) {
      return failed(error);
    }
  }

  /** Called after a publish, rollback or delete: the next call resolves its ref afresh. */
  refsChanged(): void {
    this.resolved.clear();
  }

  /** Deletes this environment's state (the object was deleted, or a preview closed). */
  async wipe(): Promise<void> {
    this.resolved.clear();
    this.loaded.clear();
    await this.ctx.storage.deleteAll();
    // deleteAll drops the tables too: recreate them for the next call.
    this.documents = createDocuments(this.ctx.storage.sql);
  }

  private async version(target: Target): Promise<{ version: LoadedVersion; versions: string[] }> {
    const { registry, loader, limits } = this.dependencies;
    const now = Date.now();
    let resolved = this.resolved.get(target.ref);
    if (!resolved || resolved.until <= now) {
      const state = await registry.state(target.id);
      if (state.publications.length === 0) throw new ObjectsError("not-found", "object-not-found", `no object "${target.id}"`);
      const hash = resolveRef(target.id, state, parseRef(target.ref));
      const versions = Object.keys(state.versions).filter((version) => state.versions[version] === hash);
      resolved = { hash, versions, until: now + limits.resolveTtlMs };
      this.resolved.set(target.ref, resolved);
    }
    let version = this.loaded.get(resolved.hash);
    if (!version) {
      version = loadVersion(loader, await registry.snapshot(resolved.hash), target.environment, { cpuMs: limits.cpuMs });
      if (this.loaded.size >= MAX_CACHED_VERSIONS) this.loaded.delete(this.loaded.keys().next().value!);
      this.loaded.set(resolved.hash, version);
    }
    return { version, versions: resolved.versions };
  }

  private host(version: LoadedVersion, depth: number): HostContext {
    return new HostContext({ documents: this.documents, emit: (name, data) => this.dispatch(version, name, data, depth + 1) });
  }

  // Handlers of the emitting version run in order; a failing handler is logged and never fails the emitter.
  private async dispatch(version: LoadedVersion, name: string, data: unknown, depth: number): Promise<void> {
    const { limits } = this.dependencies;
    if (depth > limits.maxEventDepth) throw new Error(`event ${name} exceeded the event depth limit of ${limits.maxEventDepth}`);
    for (const index of matchingHandlers(version.eventPatterns, name)) {
      const reply = await this.withDeadline(version.entry.event(index, data, this.host(version, depth), { ticks: limits.ticks, ms: limits.callMs }));
      if (reply === TIMED_OUT || !reply.ok) {
        console.warn(`event handler ${version.eventPatterns[index]} failed for ${name}:`, reply === TIMED_OUT ? "timed out" : reply.message);
      }
    }
  }

  private async withDeadline<T>(promise: Promise<T>): Promise<T | typeof TIMED_OUT> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), this.dependencies.limits.callMs)));
    try {
      return await Promise.race([promise, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}
