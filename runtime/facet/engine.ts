// How a definition's code runs inside its isolate (the sandbox and the facet alike): a call under its budget, its
// `$`, the events it emits and their local handlers, pages. Part of the prelude (prelude.ts).
import { createBudget, EXCEEDED, type Budget } from "./budget.ts";
import { createContext, createDataContext, deepFreeze } from "./context.ts";
import { answer, describe, emitted, failure, HANDLED, jsonOf, serialize, stoppedReply, TIMED_OUT, withReports, type Emitted } from "./replies.ts";
import { matchesEvent } from "./event-match.ts";
import { apply, clearTimer, entriesOf, isArray, NativeError, NativePromise, NativeRangeError, NativeTypeError, parse, promiseThen, RESOLVED, setTimer, StringOf } from "./intrinsics.ts";
import {
  MAX_EVENTS_PER_CALL,
  type EventReport,
  type CheckProblem,
  type ComponentCall,
  type ContextUse,
  type EntryKind,
  type EntryRow,
  type EventInfo,
  type PageInfo,
  type SandboxEnv,
  type SandboxHost,
  type SandboxLimits,
  type TickInfo,
  type WireReply,
  type SandboxTables,
} from "../shared/sandbox-protocol.ts";

/**
 * A factory of `definition.js`: given `$` and a guard, the user's function. Factories are reachable from nowhere in
 * user code (no name binds them), so a definition can never obtain one of its functions without its guard.
 */
export type Factory = ($: unknown, guard: () => void) => unknown;

/** Calls a factory as a plain function: called as a method, its arrows would see the table entry as `this`. */
function make(factory: Factory, $: unknown, guard: () => void): unknown {
  return factory($, guard);
}

async function settle(factory: Factory, args: unknown[], $: unknown, budget: Budget, limits: SandboxLimits): Promise<WireReply> {
  try {
    const fn = make(factory, $, budget.guard) as (...a: unknown[]) => unknown;
    const value = await apply(fn, undefined, args);
    // A call whose budget ran out (in a handler it set off, or in a loop it caught) answers that, whatever it returned.
    const stop = budget.stopped();
    return stop ? stoppedReply(stop) : serialize(value, limits);
  } catch (error) {
    const stop = budget.stopped();
    if (stop) return stoppedReply(stop);
    const { name, message } = describe(error);
    return failure("method-failed", name, message);
  }
}

/**
 * One call under its budget (a handler spends the budget of the call that set it off). Most calls settle within a
 * few microtask turns; only one still pending after them gets a deadline timer (a timer per call was the largest cost
 * left on the hot path).
 */
function run(factory: Factory, args: unknown[], $: unknown, env: SandboxEnv, budget: Budget, owner = true): Promise<WireReply> {
  const { limits } = env;
  return new NativePromise<WireReply>((resolve) => {
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (answer: WireReply) => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimer(timer);
      // A handler spends its call's budget, which ends with the call.
      if (owner) budget.end();
      resolve(answer);
    };
    apply(promiseThen, settle(factory, args, $, budget, limits), [finish]);
    let turns = 0;
    const wait = () => {
      if (done) return;
      if (++turns < 8) apply(promiseThen, RESOLVED, [wait]);
      else timer = setTimer(() => finish(TIMED_OUT()), limits.ms);
    };
    apply(promiseThen, RESOLVED, [wait]);
  });
}

/** One expression or component of a page: its failure is a value shown in place, unless the budget ran out. */
async function attempt(fn: () => unknown): Promise<{ value: unknown } | { error: string }> {
  try {
    const value = await fn();
    return { value: value === undefined ? null : value };
  } catch (error) {
    if (error === EXCEEDED) throw error;
    return { error: describe(error).message };
  }
}

interface Entry {
  factory: Factory;
  context: ContextUse;
}

type Tables = Record<EntryKind, Map<string, Entry>>;

// A page's expressions, then the definition components it uses (their props may name expression values).
function pageFactory(page: Entry, info: PageInfo, calls: ComponentCall[], components: Map<string, Entry>): Factory {
  return ($, guard) => async () => {
    const thunks = (make(page.factory, $, guard) as (info: PageInfo) => Array<() => unknown>)(info);
    const values: Array<{ value: unknown } | { error: string }> = [];
    for (const thunk of thunks) values.push(await attempt(thunk));
    const rendered: Array<{ value: unknown } | { error: string }> = [];
    for (const call of calls) {
      const component = components.get(call.name);
      const props: Record<string, unknown> = { ...call.props };
      for (const [name, id] of entriesOf(call.expressions)) {
        const evaluated = values[id];
        props[name] = evaluated && "value" in evaluated ? evaluated.value : null;
      }
      const render = component && (make(component.factory, $, guard) as (p: unknown) => unknown);
      rendered.push(render ? await attempt(() => render(props)) : { error: `no component ${call.name}` });
    }
    return { values, components: rendered };
  };
}

/** The engine of one definition: its tables (JSON from main.js) over the factories of definition.js. */
export function createEngine(tables: SandboxTables, factories: readonly Factory[]) {
  const meta = deepFreeze(tables.meta);
  const byKind = {} as Tables;
  for (const kind of ["method", "event", "schedule", "page", "component"] as const) {
    byKind[kind] = new Map(tables[kind].map(([key, index, context]: EntryRow) => [key, { factory: factories[index]!, context }]));
  }
  // Without a host (called from the Worker), a source reading only the definition's own fields gets just those.
  const data = createDataContext(meta);
  const missing = (what: string, key: string) => new NativePromise<WireReply>((resolve) => resolve(failure("method-not-found", "Error", `no ${what} ${StringOf(key).slice(0, 200)}`)));

  /** The `$` of a call with a host: what it emits is `depth` hops from the call's own origin. */
  const stateful = (host: SandboxHost, env: SandboxEnv, events: Emitted, depth: number) =>
    createContext(meta, host, (name, value) => emit(name, value, depth, meta.$id, env, host, events));
  const contextFor = (entry: Entry, host: SandboxHost | undefined, env: SandboxEnv, events: Emitted | undefined, depth = 0) =>
    entry.context === "none" ? undefined : host && events ? stateful(host, env, events, depth) : entry.context === "data" ? data : undefined;

  /** `$.emit`: the data becomes JSON (functions, symbols and bigints refused), then the event is handled here. */
  async function emit(name: string, value: unknown, depth: number, source: string, env: SandboxEnv, host: SandboxHost, events: Emitted): Promise<void> {
    const data = jsonOf(value, "the event's data");
    if ("refused" in data) throw new NativeTypeError(`${data.refused}: event data must be JSON`);
    return handle(name, data.json, depth, source, env, host, events);
  }

  /**
   * One event in this object, its data as JSON: each matching handler runs here, in pattern order, on its own parse of
   * the data and on the call's budget (a failing one is reported, never thrown), and the event joins the call's
   * reports. An event `maxEventDepth` hops deep runs nothing: the emitter gets an error, the host logs the cut.
   */
  async function handle(name: string, json: string, depth: number, source: string, env: SandboxEnv, host: SandboxHost, events: Emitted): Promise<void> {
    const { limits } = env;
    if (events.reports.length >= MAX_EVENTS_PER_CALL) throw new NativeRangeError(`one call may emit at most ${MAX_EVENTS_PER_CALL} events`);
    if ((events.chars += json.length) > limits.maxResultChars) throw new NativeRangeError(`the events of one call may hold at most ${limits.maxResultChars} characters of JSON`);
    const hops = events.hops + depth;
    const report: EventReport = { name, depth, data: json, handlers: [] };
    if (hops >= limits.maxEventDepth) {
      events.reports.push(report);
      throw new NativeError(`event ${name} exceeded the event depth limit of ${limits.maxEventDepth}`);
    }
    for (const [pattern, entry] of byKind.event) {
      if (!matchesEvent(pattern, name)) continue;
      const answer = await run(entry.factory, [parse(json), { name, source, hops }], contextFor(entry, host, env, events, depth + 1), env, events.budget, false);
      report.handlers.push({ pattern, reply: answer[0] === "=" ? HANDLED : answer });
    }
    events.reports.push(report);
  }

  /** One call from the host under a budget of its own: its `$` (given its events) and a reply carrying those events. */
  function begin(env: SandboxEnv, host: SandboxHost | undefined, factory: Factory, args: unknown[], $of: (events: Emitted | undefined) => unknown): Promise<WireReply> {
    const budget = createBudget(env.limits);
    const events = emitted(0, host, budget);
    return answer(run(factory, args, $of(events), env, budget), events);
  }

  /** Creates every function once (no user code runs: each source is a function expression) and reports failures. */
  function check(): CheckProblem[] {
    const problems: CheckProblem[] = [];
    const trip = () => {
      throw EXCEEDED;
    };
    for (const kind of ["method", "event", "schedule", "component"] as const) {
      for (const [key, entry] of byKind[kind]) {
        try {
          if (typeof make(entry.factory, undefined, trip) !== "function") problems.push({ kind, key, message: "is not a function" });
        } catch (error) {
          problems.push({ kind, key, message: describe(error).message });
        }
      }
    }
    return problems;
  }

  /** A call of a method; `host` is what `$` reaches (the host's RPC target, or the facet's capabilities). */
  function call(env: SandboxEnv, name: string, params: unknown[], host: SandboxHost | undefined): Promise<WireReply> {
    const entry = byKind.method.get(StringOf(name));
    if (!entry) return missing("method", name);
    return begin(env, host, entry.factory, isArray(params) ? params : [], (events) => contextFor(entry, host, env, events));
  }

  /** An event bubbled up from a child, `event.hops` from where it began, its data as the child's JSON: handled as one emitted here. */
  async function event(env: SandboxEnv, data: string, host: SandboxHost, info: EventInfo): Promise<WireReply> {
    const events = emitted(+info.hops, host, createBudget(env.limits))!;
    let wire = HANDLED;
    try {
      await handle(StringOf(info.name), StringOf(data), 0, StringOf(info.source), env, host, events);
    } catch (error) {
      wire = failure("method-failed", "Error", describe(error).message);
    }
    events.budget.end();
    return withReports(wire, events);
  }

  function schedule(env: SandboxEnv, pattern: string, host: SandboxHost | undefined, tick: TickInfo): Promise<WireReply> {
    const entry = byKind.schedule.get(StringOf(pattern));
    if (!entry) return missing("schedule", pattern);
    return begin(env, host, entry.factory, [tick], (events) => contextFor(entry, host, env, events));
  }

  function page(env: SandboxEnv, key: string, info: PageInfo, calls: ComponentCall[], host: SandboxHost | undefined): Promise<WireReply> {
    const entry = byKind.page.get(StringOf(key));
    if (!entry) return missing("page", key);
    // A page's `$` serves its expressions and its components alike.
    return begin(env, host, pageFactory(entry, info, calls, byKind.component), [], (events) => (host && events ? stateful(host, env, events, 0) : undefined));
  }

  return { call, event, schedule, page, check };
}

export type Engine = ReturnType<typeof createEngine>;
