// The fixed half of every loaded worker (runs inside the definition's isolate, never in the host): the stateless
// sandbox entrypoint, and the facet, a Durable Object class the host runs with the object's own SQLite.
// `npm run build:texts` bundles it into module text (prelude-text.ts); a unit test keeps that text current.
import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
import { createEngine, type Factory } from "./engine.ts";
import { createFacetState, type CallCapabilities, type FacetState } from "./state.ts";
import { apply, NativePromise, promiseThen } from "./intrinsics.ts";
import { markLocal } from "./context.ts";
import { withRefusal, type CheckProblem, type ComponentCall, type EventInfo, type FacetHost, type PageInfo, type SandboxEnv, type SandboxHost, type SandboxTables, type StateResult, type StateTable, type TickInfo, type WireReply } from "../shared/sandbox-protocol.ts";

export type { Factory };

/** The two classes of one definition: its tables (JSON from main.js) over the factories of definition.js. */
export function createDefinition(tables: SandboxTables, factories: readonly Factory[]) {
  const engine = createEngine(tables, factories);

  /**
   * Calls with no state of their own (a method that names no `$`, from the Worker) or whose `$` is the host's (a
   * version other than the one the environment serves), and the trial load's check.
   */
  class Sandbox extends WorkerEntrypoint<SandboxEnv> {
    call(name: string, params: unknown[], host?: SandboxHost): Promise<WireReply> {
      return engine.call(this.env, name, params, host);
    }

    event(data: string, host: SandboxHost, event: EventInfo): Promise<WireReply> {
      return engine.event(this.env, data, host, event);
    }

    schedule(pattern: string, host: SandboxHost | undefined, tick: TickInfo): Promise<WireReply> {
      return engine.schedule(this.env, pattern, host, tick);
    }

    page(key: string, info: PageInfo, calls: ComponentCall[], host?: SandboxHost): Promise<WireReply> {
      return engine.page(this.env, key, info, calls, host);
    }

    check(): CheckProblem[] {
      return engine.check();
    }
  }

  /** The facet: the object's state in its own SQLite, `$.db` and `$.fsx` answered here, the rest of `$` by the host. */
  class State extends DurableObject<SandboxEnv> {
    #state?: FacetState;

    get #local(): FacetState {
      return (this.#state ??= createFacetState(this.ctx.storage, this.env));
    }

    /** One call with its capabilities; its reply carries what the state refused it. */
    #run(host: FacetHost | undefined, start: (capabilities: SandboxHost) => Promise<WireReply>): Promise<WireReply> {
      const capabilities: CallCapabilities = this.#local.capabilities(host);
      const reply = start(markLocal(capabilities));
      return new NativePromise<WireReply>((resolve, reject) => apply(promiseThen, reply, [(wire: WireReply) => resolve(withRefusal(wire, capabilities.refusal())), reject]));
    }

    call(name: string, params: unknown[], host: FacetHost | undefined): Promise<WireReply> {
      return this.#run(host, (capabilities) => engine.call(this.env, name, params, capabilities));
    }

    event(data: string, host: FacetHost, event: EventInfo): Promise<WireReply> {
      return this.#run(host, (capabilities) => engine.event(this.env, data, capabilities, event));
    }

    schedule(pattern: string, host: FacetHost, tick: TickInfo): Promise<WireReply> {
      return this.#run(host, (capabilities) => engine.schedule(this.env, pattern, capabilities, tick));
    }

    page(key: string, info: PageInfo, calls: ComponentCall[], host: FacetHost | undefined): Promise<WireReply> {
      return this.#run(host, (capabilities) => engine.page(this.env, key, info, calls, capabilities));
    }

    check(): CheckProblem[] {
      return engine.check();
    }

    db(collection: string, operation: string, args: unknown[]): Promise<StateResult> {
      return this.#local.db(collection, operation, args);
    }

    fsx(operation: string, args: unknown[], blobs: FacetHost): Promise<StateResult> {
      return this.#local.fsx(operation, args, blobs);
    }

    git(operation: string, args: unknown[]): Promise<StateResult> {
      return this.#local.git(operation, args);
    }

    importRows(table: StateTable, columns: string[], rows: unknown[][]): void {
      this.#local.importRows(table, columns, rows);
    }

    storedBytes(): number {
      return this.#local.storedBytes();
    }

    shareBlobs(): void {
      this.#local.shareBlobs();
    }
  }

  return { Sandbox, State };
}
