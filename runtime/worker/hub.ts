// The hub (the seed's do.do): one WorkerEntrypoint another Worker binds as `DO`, reaching every object and service:
// `await (await env.DO.get('startup.do')).customers.create({ name })`, `env.DO.stripe.customers.create({ email })`.
import { WorkerEntrypoint, type RpcTarget } from "cloudflare:workers";
import { describeError, errorOf, ObjectsError, parseObjectPath } from "../../core/index.ts";
import { type MethodEntry, listMethods } from "../../definitions/index.ts";
import { argumentsFor, methodNamed, toolsOf } from "./object-tools.ts";
import { isHeadRef } from "./version-pin.ts";
import { dispatchCall, type DispatchDeps } from "./dispatch.ts";
import { refuseQuarantined } from "./quarantine.ts";
import { rpcTarget } from "../services/rpc.ts";
import type { VersionCache } from "../executor/version-cache.ts";

export interface HubDeps extends DispatchDeps {
  versions: VersionCache;
  /** The services of the production environment (`ai`, `stripe`, `github`, `esbuild`). */
  services: Record<string, object>;
  /** auth.do: verifies a management token (the control plane's authenticator, given by the composition root). */
  auth: { verify(token: string): Promise<unknown> };
}

type Tree = { [name: string]: Tree | ((...args: unknown[]) => Promise<unknown>) };

function treeOf(methods: readonly MethodEntry[], call: (name: string, args: unknown[]) => Promise<unknown>): Tree {
  const tree: Tree = {};
  for (const { name } of methods) {
    const parts = name.split(".");
    let node = tree;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Tree;
    node[parts.at(-1)!] = (...args: unknown[]) => call(name, args);
  }
  return tree;
}

/** The hub's entrypoint; `deps()` comes from the composition root. */
export abstract class HubBase extends WorkerEntrypoint {
  protected abstract deps(): HubDeps;

  /** An object by `id` or `id@ref`: its API as nested methods (`customers.create(…)`), resolved once. */
  async get(address: string): Promise<RpcTarget> {
    const { version, call } = await this.resolve(address);
    return rpcTarget(treeOf(listMethods(version.snapshot.definition), call));
  }

  private async resolve(address: string) {
    const deps = this.deps();
    const path = parseObjectPath(`/${String(address).split("/").map(encodeURIComponent).join("/")}`);
    if (!path || path.rest !== "/") throw new ObjectsError("address-invalid", `"${String(address).slice(0, 100)}" is not an object address (id or id@ref)`);
    const ref = path.ref ?? "latest";
    const version = await deps.versions.resolve(path.id, ref);
    const target = { id: path.id, ref, environment: version.environment, ...(isHeadRef(ref) ? { head: true } : {}) };
    refuseQuarantined(target.id, `${target.id}@${target.ref}`, version);
    const call = async (method: string, args: unknown[]) => {
      const reply = await dispatchCall(deps, target, version, method, args);
      // Workers RPC carries an error's message to the calling Worker, not its fields: the code leads the message.
      if (!reply.ok) throw new Error(describeError(errorOf(reply.failure)));
      return JSON.parse(reply.value.json) as unknown;
    };
    return { version, call };
  }

  get auth(): RpcTarget {
    return rpcTarget(this.deps().auth);
  }

  /** mcp.do: the tools of any object (its API methods), listed and called by address. */
  get mcp(): RpcTarget {
    return rpcTarget({
      listTools: async (address: string) => toolsOf((await this.resolve(address)).version.snapshot.definition),
      callTool: async (address: string, name: string, input: unknown) => {
        const { version, call } = await this.resolve(address);
        const method = methodNamed(version.snapshot.definition, name);
        if (!method) throw new ObjectsError("tool-not-found", `${address} has no tool ${name}`);
        return call(name, argumentsFor(method, input));
      },
    });
  }

  get ai(): RpcTarget {
    return this.service("ai");
  }

  get stripe(): RpcTarget {
    return this.service("stripe");
  }

  get github(): RpcTarget {
    return this.service("github");
  }

  get esbuild(): RpcTarget {
    return this.service("esbuild");
  }

  private service(name: string): RpcTarget {
    const service = this.deps().services[name];
    if (!service) throw new ObjectsError("service-unavailable", `${name} is not configured on this hub`);
    return rpcTarget(service);
  }
}
