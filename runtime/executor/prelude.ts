// The fixed half of every loaded module (as text: it runs inside the sandbox, not here): guards, `$`, entrypoint.

/**
 * Module `prelude.js` of each loaded worker. It builds the sandbox-side `$` over the host's RPC target (so dynamic
 * names like `$.db.Customer` work), runs one call under a tick and time budget, and returns JSON text or an error
 * value: results never cross RPC as live objects, and errors are classified here, not by message text outside.
 */
export const PRELUDE_SOURCE = String.raw`
class CallBudgetExceeded extends Error {
  constructor() { super("the call used up its CPU budget"); this.name = "CallBudgetExceeded"; }
}

function createBudget(limits) {
  let ticks = 0;
  let tripped = null;
  const deadline = Date.now() + limits.ms;
  // Time does not advance inside synchronous code on Workers, so ticks bound sync loops and the clock async ones.
  const guard = () => {
    if (tripped === null) {
      if (++ticks > limits.ticks) tripped = "cpu-limit";
      else if ((ticks & 1023) === 0 && Date.now() > deadline) tripped = "call-timeout";
      else return;
    }
    throw new CallBudgetExceeded();
  };
  return { guard, tripped: () => tripped };
}

function deepFreeze(value) {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze(value[key]);
  }
  return value;
}

function collection(host, name) {
  const op = (operation) => (...args) => host.db(name, operation, args);
  return Object.freeze({
    create: op("create"), get: op("get"), list: op("list"), update: op("update"), delete: op("delete"), find: op("find"),
  });
}

// $.stripe.customers.create(x) → host.service("stripe", ["customers", "create"], [x]); never a thenable.
function service(host, name, path) {
  return new Proxy(function () {}, {
    get: (_, key) => (typeof key === "string" && key !== "then" ? service(host, name, [...path, key]) : undefined),
    apply: (_, __, args) => host.service(name, path, args),
  });
}

// $.slack\`#sales New customer: \${name}\` and $.email("text") both send one message.
function template(host, channel) {
  return (strings, ...values) => {
    const text = Array.isArray(strings) && Array.isArray(strings.raw)
      ? strings.reduce((out, part, i) => out + part + (i < values.length ? String(values[i]) : ""), "")
      : typeof strings === "string" ? strings : JSON.stringify(strings);
    return host.message(channel, text);
  };
}

function createContext(meta, host) {
  const db = new Proxy(Object.create(null), {
    get: (_, key) => (typeof key === "string" ? collection(host, key) : undefined),
  });
  const files = (operation) => (...args) => host.fsx(operation, args);
  const git = (operation) => (...args) => host.gitx(operation, args);
  return Object.freeze({
    $id: meta.$id, $type: meta.$type, $context: meta.$context, config: meta.config, db,
    emit: (name, data) => host.emit(String(name), data),
    fsx: Object.freeze({ read: files("read"), write: files("write"), list: files("list"), delete: files("delete") }),
    gitx: Object.freeze({ commit: git("commit"), history: git("history"), checkout: git("checkout") }),
    bashx: Object.freeze({ exec: (command) => host.bashx(String(command)) }),
    email: template(host, "email"), sms: template(host, "sms"), slack: template(host, "slack"),
    ai: service(host, "ai", []), stripe: service(host, "stripe", []), esbuild: service(host, "esbuild", []), github: service(host, "github", []),
  });
}

function describe(error) {
  try {
    if (error instanceof Error) return { name: String(error.name).slice(0, 100), message: String(error.message).slice(0, 2000) };
    return { name: "Error", message: String(error).slice(0, 2000) };
  } catch {
    return { name: "Error", message: "a value was thrown" };
  }
}

const TIMED_OUT = { ok: false, code: "call-timeout", name: "CallBudgetExceeded", message: "the call ran out of time" };

// The wall-clock limit of a call that waits (on timers, on the host): the guards only see code that runs.
function deadline(ms) {
  let timer;
  const promise = new Promise((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), ms)));
  return { promise, clear: () => clearTimeout(timer) };
}

async function settle(entry, args, host, limits, meta, budget) {
  try {
    const fn = entry.make(entry.usesContext && host ? createContext(meta, host) : undefined, budget.guard);
    const value = await fn(...args);
    return { ok: true, json: JSON.stringify(value === undefined ? null : value) ?? "null" };
  } catch (error) {
    const tripped = budget.tripped();
    if (tripped) return { ok: false, code: tripped, ...describe(new CallBudgetExceeded()) };
    return { ok: false, code: "method-failed", ...describe(error) };
  }
}

async function run(entry, args, host, limits, meta) {
  const result = settle(entry, args, host, limits, meta, createBudget(limits));
  // Most calls finish within a few microtask turns: only one still pending after them gets a deadline timer
  // (a timer per call was the largest cost left on the hot path). settle() never rejects.
  let settled = false;
  result.then(() => (settled = true));
  for (let turn = 0; turn < 8 && !settled; turn++) await undefined;
  if (settled) return result;
  const timeout = deadline(limits.ms);
  try {
    return await Promise.race([result, timeout.promise]);
  } finally {
    timeout.clear();
  }
}

// One expression or component of a page: its failure is a value shown in place, unless the budget ran out.
async function attempt(fn) {
  try {
    const value = await fn();
    return { value: value === undefined ? null : value };
  } catch (error) {
    if (error instanceof CallBudgetExceeded) throw error;
    return { error: describe(error).message };
  }
}

// A page's expressions, then the definition components it uses (their props may name expression values).
function pageEntry(entry, info, calls, components) {
  return {
    usesContext: true,
    make: ($, guard) => async () => {
      const values = [];
      for (const thunk of entry.make($, guard)(info)) values.push(await attempt(thunk));
      const rendered = [];
      for (const call of calls) {
        const component = components.get(call.name);
        const props = { ...call.props };
        for (const [name, id] of Object.entries(call.expressions)) props[name] = values[id] ? values[id].value : null;
        rendered.push(component ? await attempt(() => component.make($, guard)(props)) : { error: "no component " + call.name });
      }
      return { values, components: rendered };
    },
  };
}

export function createEntrypoint(WorkerEntrypoint, meta, methods, events, schedules, pages, components) {
  deepFreeze(meta);
  return class extends WorkerEntrypoint {
    call(name, params, host) {
      const entry = methods.get(name);
      if (!entry) return { ok: false, code: "method-not-found", name: "Error", message: "no method " + name };
      return run(entry, params, host, this.env.limits, meta);
    }
    event(index, data, host, event) {
      const entry = events[index];
      if (!entry) return { ok: false, code: "method-not-found", name: "Error", message: "no handler " + index };
      return run(entry, [data, event], host, this.env.limits, meta);
    }
    schedule(index, host, tick) {
      const entry = schedules[index];
      if (!entry) return { ok: false, code: "method-not-found", name: "Error", message: "no schedule " + index };
      return run(entry, [tick], host, this.env.limits, meta);
    }
    page(key, info, calls, host) {
      const entry = pages.get(key);
      if (!entry) return { ok: false, code: "method-not-found", name: "Error", message: "no page " + key };
      return run(pageEntry(entry, info, calls, components), [], host, this.env.limits, meta);
    }
    check() {
      const problems = [];
      const all = [
        ...methods.entries(), ...events.map((entry, index) => ["event " + index, entry]), ...schedules.map((entry, index) => ["schedule " + index, entry]),
        ...[...components.entries()].map(([name, entry]) => ["component " + name, entry]),
      ];
      for (const [name, entry] of all) {
        try {
          if (typeof entry.make(undefined, () => {}) !== "function") problems.push({ name, message: "is not a function" });
        } catch (error) {
          problems.push({ name, message: describe(error).message });
        }
      }
      return problems;
    }
  };
}
`;
