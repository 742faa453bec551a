// `RPC(target)`: any object or client as an RPC surface: nested namespaces become getters, functions methods. Used for
// the services behind `$` (in process, by path) and behind the hub (over Workers RPC, by property access).
import { RpcTarget, WorkerEntrypoint } from "cloudflare:workers";

const HIDDEN = new Set(["constructor", "__proto__", "prototype", "then", "toJSON", "valueOf", "toString", "apply", "call", "bind", "caller", "arguments"]);

/** A service call that names no function of the service. */
export class ServiceError extends Error {
  override name = "ServiceError";
}

/** Every member a caller may reach on an object: own and inherited names, minus Object's and the dangerous ones. */
function membersOf(target: object): string[] {
  const names = new Set<string>();
  for (let proto: object | null = target; proto && proto !== Object.prototype && proto !== Function.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) if (!HIDDEN.has(name) && !name.startsWith("_")) names.add(name);
  }
  return [...names];
}

const reachable = (target: object, name: string) => !HIDDEN.has(name) && !name.startsWith("_") && name in target;

/** Calls `target.a.b.c(...args)` for path `["a","b","c"]`; results cross back as plain JSON data. */
export async function callPath(target: object, path: readonly string[], args: readonly unknown[]): Promise<unknown> {
  let owner: object = target;
  let value: unknown = target;
  for (const name of path) {
    if (value === null || (typeof value !== "object" && typeof value !== "function") || !reachable(value as object, name)) {
      throw new ServiceError(`no ${path.join(".")} on this service`);
    }
    owner = value as object;
    value = (value as Record<string, unknown>)[name];
  }
  if (typeof value !== "function") throw new ServiceError(`${path.join(".")} is not a function of this service`);
  const result = await (value as (...a: unknown[]) => unknown).apply(owner, [...args]);
  return result === undefined ? null : JSON.parse(JSON.stringify(result));
}

const wrappers = new WeakMap<object, RpcTarget>();

/**
 * The object as an RpcTarget: each function a method, each nested object a getter returning its own RpcTarget, so
 * `env.DO.stripe.customers.create(x)` works across a service binding. Members are read once, when first wrapped.
 */
export function rpcTarget(target: object): RpcTarget {
  const cached = wrappers.get(target);
  if (cached) return cached;
  const Wrapped = class extends RpcTarget {};
  for (const name of membersOf(target)) {
    const value = (target as Record<string, unknown>)[name];
    if (typeof value === "function") {
      Object.defineProperty(Wrapped.prototype, name, { value: (...args: unknown[]) => callPath(target, [name], args) });
    } else if (value !== null && typeof value === "object") {
      Object.defineProperty(Wrapped.prototype, name, { get: () => rpcTarget(value) });
    }
  }
  const wrapped = new Wrapped();
  wrappers.set(target, wrapped);
  return wrapped;
}

/**
 * The seed's `RPC(target)`: a WorkerEntrypoint whose members are the target's (made from the Worker's env), so any
 * client becomes a service another Worker binds: `export class Stripe extends RPC((env) => new Stripe(env.KEY)) {}`.
 */
export function RPC<E>(make: (env: E) => object) {
  return class extends WorkerEntrypoint<E> {
    constructor(ctx: ExecutionContext, env: E) {
      super(ctx as never, env);
      const target = make(env);
      const proto = Object.getPrototypeOf(this) as object;
      // Members land on the class's prototype, where Workers RPC looks for them, once per class.
      if (!Object.hasOwn(proto, "__members")) {
        Object.defineProperty(proto, "__members", { value: true });
        for (const name of membersOf(target)) {
          Object.defineProperty(proto, name, {
            get(this: { __target: object }) {
              const value = (this.__target as Record<string, unknown>)[name];
              return typeof value === "function" ? (...args: unknown[]) => callPath(this.__target, [name], args) : rpcTarget(value as object);
            },
          });
        }
      }
      Object.defineProperty(this, "__target", { value: target });
    }
  };
}
