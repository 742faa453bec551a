// ObjectDO: one object in one environment. Holds its state and runs the calls that use `$` in the version asked for.
import { DurableObject } from "cloudflare:workers";
import type { Registry } from "../registry/index.ts";
import { createDocuments, type DocumentCall } from "./context/documents.ts";
import { HostContext } from "./context/host-context.ts";
import { matchingHandlers } from "./events.ts";
import { failed, settleCall, type Reply } from "./executor/invoke.ts";
import { sandboxOf, sandboxOptions, type PreparedVersion } from "./executor/loader.ts";
import type { RuntimeLimits } from "./limits.ts";
import { createVersionCache, type VersionCache } from "./version-cache.ts";

export interface ObjectDeps {
  registry: Pick<Registry, "state" | "snapshot">;
  loader: WorkerLoader;
  limits: RuntimeLimits;
}

/** One call routed to the object: the Worker has already resolved the ref to an exact content hash. */
export interface ObjectCall {
  id: string;
  environment: string;
  hash: string;
  /** How the caller named the version, for messages (`crm.acme.com@^1`). */
  label: string;
  method: string;
  params: unknown[];
}

/** The runtime's Durable Object; `deps()` is supplied by the composition root, which picks the adapters. */
export abstract class ObjectDOBase extends DurableObject {
  protected abstract deps(): ObjectDeps;
  private documents: DocumentCall = createDocuments(this.ctx.storage.sql);
  private cached?: { deps: ObjectDeps; versions: VersionCache };

  private get runtime() {
    if (!this.cached) {
      const deps = this.deps();
      this.cached = { deps, versions: createVersionCache({ registry: deps.registry, ttlMs: deps.limits.resolveTtlMs }) };
    }
    return this.cached;
  }

  /** Runs one API method with a `$` bound to this object's state; the result comes back as JSON text. */
  async invoke(call: ObjectCall): Promise<Reply<{ json: string }>> {
    try {
      const version = await this.runtime.versions.byHash(call.hash);
      const { deps } = this.runtime;
      const sandbox = sandboxOf(deps.loader, version, call.environment, sandboxOptions(deps.limits));
      return await settleCall(sandbox.call(call.method, call.params, this.host(version, call.environment, 0)), call.label, call.method, deps.limits);
    } catch (error) {
      return failed(error);
    }
  }

  /** Deletes this environment's state (the object was deleted, or a preview closed). */
  async wipe(): Promise<void> {
    await this.ctx.storage.deleteAll();
    // deleteAll drops the tables too: recreate them for the next call.
    this.documents = createDocuments(this.ctx.storage.sql);
  }

  private host(version: PreparedVersion, environment: string, depth: number): HostContext {
    return new HostContext({ documents: this.documents, emit: (name, data) => this.dispatch(version, environment, name, data, depth + 1) });
  }

  // Handlers of the emitting version run in pattern order; a failing handler is logged and never fails the emitter.
  private async dispatch(version: PreparedVersion, environment: string, name: string, data: unknown, depth: number): Promise<void> {
    const { limits, loader } = this.runtime.deps;
    if (depth > limits.maxEventDepth) throw new Error(`event ${name} exceeded the event depth limit of ${limits.maxEventDepth}`);
    const { eventPatterns } = version.built;
    for (const index of matchingHandlers(eventPatterns, name)) {
      const sandbox = sandboxOf(loader, version, environment, sandboxOptions(limits));
      const call = sandbox.event(index, data, this.host(version, environment, depth));
      const reply = await settleCall(call, version.snapshot.definition.$id, `event handler ${eventPatterns[index]}`, limits);
      if (!reply.ok) console.warn(`event handler ${eventPatterns[index]} failed for ${name}: ${reply.failure.message}`);
    }
  }
}
