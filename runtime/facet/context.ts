// The sandbox half of `$`: plain functions and proxies over the host's RPC target (dynamic names like `$.db.Customer`).
import { COLLECTION_OPERATIONS, FILE_OPERATIONS, GIT_OPERATIONS, MESSAGE_CHANNELS, SERVICE_NAMES, type SandboxHost, type SandboxMeta } from "../shared/sandbox-protocol.ts";
import { createObject, freeze, isArray, isFrozen, keysOf, NativePromise, NativeProxy, NativeTypeError, StringOf, stringify } from "./intrinsics.ts";

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !isFrozen(value)) {
    freeze(value);
    for (const key of keysOf(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

const opsOf = <K extends string>(names: readonly K[], call: (name: K) => (...args: unknown[]) => unknown) => {
  const ops: Record<string, unknown> = {};
  for (const name of names) ops[name] = call(name);
  return freeze(ops);
};

// $.stripe.customers.create(x) → host.service("stripe", ["customers", "create"], [x]); never a thenable.
function service(host: SandboxHost, name: string, path: string[]): unknown {
  return new NativeProxy(function () {}, {
    get: (_, key) => (typeof key === "string" && key !== "then" ? service(host, name, [...path, key]) : undefined),
    apply: (_, __, args) => host.service(name, path, args),
  });
}

// $.slack`#sales New customer: ${name}` and $.email("text") both send one message.
function template(host: SandboxHost, channel: (typeof MESSAGE_CHANNELS)[number]) {
  return (strings: unknown, ...values: unknown[]) => {
    const parts = strings as string[] & { raw?: unknown };
    const text =
      isArray(parts) && isArray(parts.raw)
        ? parts.reduce((out, part, i) => out + part + (i < values.length ? StringOf(values[i]) : ""), "")
        : typeof strings === "string"
          ? strings
          : (stringify(strings) ?? "");
    return host.message(channel, text);
  };
}

/** The `$` of a source that reads only the definition's own fields (see ContextUse): those, and nothing to call. */
export function createDataContext(meta: SandboxMeta): unknown {
  return freeze({ $id: meta.$id, $type: meta.$type, $context: meta.$context, config: meta.config });
}

/** What the facet answers itself: `$.db.transaction` needs the object's SQLite at hand. */
type Local = SandboxHost & { transaction(fn: unknown): Promise<unknown> };
// The facet's capability objects (never the host's RPC stub, which would answer any property as a remote method).
const local = new WeakSet<object>();

/** Marks the facet's capabilities of one call as local: its `$.db.transaction` runs there. */
export function markLocal(capabilities: Local): SandboxHost {
  local.add(capabilities);
  return capabilities;
}

const notHere = () =>
  new NativePromise((_, reject) => reject(new NativeTypeError("$.db.transaction runs only in the version its environment serves: this call runs another (a pinned version or a rollout's canary), its $.db one operation at a time")));

/** The `$` of a call with a host; `emit` runs the event's local handlers in this sandbox (see prelude.ts). */
export function createContext(meta: SandboxMeta, host: SandboxHost, emit: (name: string, data: unknown) => Promise<void>): unknown {
  // `$.db.transaction(fn)`: fn's writes commit together or not at all (so no collection is named `transaction`).
  const transaction = local.has(host) ? (fn: unknown) => (host as Local).transaction(fn) : notHere;
  const db = new NativeProxy(createObject(null) as object, {
    get: (_, collection) => {
      if (collection === "transaction") return transaction;
      return typeof collection === "string" ? opsOf(COLLECTION_OPERATIONS, (operation) => (...args) => host.db(collection, operation, args)) : undefined;
    },
  });
  const context: Record<string, unknown> = {
    $id: meta.$id,
    $type: meta.$type,
    $context: meta.$context,
    config: meta.config,
    db,
    emit: (name: unknown, data: unknown) => emit(StringOf(name), data),
    fsx: opsOf(FILE_OPERATIONS, (operation) => (...args) => host.fsx(operation, args)),
    gitx: opsOf(GIT_OPERATIONS, (operation) => (...args) => host.gitx(operation, args)),
    bashx: freeze({ exec: (command: unknown) => host.bashx(StringOf(command)) }),
  };
  for (const channel of MESSAGE_CHANNELS) context[channel] = template(host, channel);
  for (const name of SERVICE_NAMES) context[name] = service(host, name, []);
  return freeze(context);
}
