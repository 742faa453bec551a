// The fixed half of every loaded worker (runs inside the sandbox, never in the host): calls, replies, entrypoint.
// `npm run build:texts` bundles it into module text (prelude-text.ts); a unit test keeps that text current.
import { WorkerEntrypoint } from "cloudflare:workers";
import { createBudget, EXCEEDED, type Budget, type StopCode } from "./budget.ts";
import { createContext, createDataContext, deepFreeze } from "./context.ts";
import { noteCall } from "./in-flight.ts";
import { matchesEvent } from "./event-match.ts";
import { apply, clearTimer, clone, entriesOf, isArray, NativePromise, promiseThen, RESOLVED, setTimer, StringOf, stringify } from "./intrinsics.ts";
import {
  encodeReply,
  type CheckProblem,
  type ComponentCall,
  type ContextUse,
  type EntryKind,
  type EntryRow,
  type EventInfo,
  type HandlerOutcome,
  type PageInfo,
  type SandboxEnv,
  type SandboxFailureCode,
  type SandboxHost,
  type SandboxLimits,
  type SandboxReply,
  type TickInfo,
  type WireReply,
  type SandboxTables,
} from "./protocol.ts";

/**
 * A factory of `definition.js`: given `$` and a guard, the user's function. Factories are reachable from nowhere in
 * user code (no name binds them), so a definition can never obtain one of its functions without its guard.
 */
export type Factory = ($: unknown, guard: () => void) => unknown;

/** Calls a factory as a plain function: called as a method, its arrows would see the table entry as `this`. */
function make(factory: Factory, $: unknown, guard: () => void): unknown {
  return factory($, guard);
}

/** A reply as a string: no `then` on any prototype can reach it. */
const reply = (fields: SandboxReply): WireReply => encodeReply(fields, stringify);
const failure = (code: SandboxFailureCode, name: string, message: string) => reply({ ok: false, code, name, message });

/** A thrown value as name and message; reading them may run the definition's own (guarded) getters. */
function describe(error: unknown): { name: string; message: string } {
  try {
    if (error !== null && typeof error === "object") {
      const { name, message } = error as { name?: unknown; message?: unknown };
      return { name: StringOf(name ?? "Error").slice(0, 100), message: StringOf(message ?? "").slice(0, 2000) };
    }
    return { name: "Error", message: StringOf(error).slice(0, 2000) };
  } catch {
    return { name: "Error", message: "a value was thrown" };
  }
}

function stoppedReply(stop: StopCode): WireReply {
  return failure(stop, "CallBudgetExceeded", stop === "cpu-limit" ? "the call used up its CPU budget" : "the call ran out of time");
}

/** Functions, symbols and bigints have no JSON form: refused rather than silently dropped. */
function serialize(value: unknown, limits: SandboxLimits): WireReply {
  if (typeof value === "string" && value.length > limits.maxResultChars) return tooLarge(limits);
  let refused: string | undefined;
  const json = stringify(value === undefined ? null : value, function (this: unknown, key, item) {
    const type = typeof item;
    if (type === "function" || type === "symbol" || type === "bigint") {
      refused ??= key === "" ? `the result is a ${type}` : `the result holds a ${type} at "${StringOf(key).slice(0, 100)}"`;
      return undefined;
    }
    return item;
  }) as string | undefined;
  if (refused !== undefined || json === undefined) return failure("non-serializable-result", "TypeError", `${refused ?? "the result"}: results must be JSON`);
  if (json.length > limits.maxResultChars) return tooLarge(limits);
  return reply({ ok: true, json });
}

const tooLarge = (limits: SandboxLimits) => failure("result-too-large", "RangeError", `the result exceeds ${limits.maxResultChars} characters of JSON`);

async function settle(factory: Factory, args: unknown[], $: unknown, budget: Budget, limits: SandboxLimits): Promise<WireReply> {
  try {
    const fn = make(factory, $, budget.guard) as (...a: unknown[]) => unknown;
    const value = await apply(fn, undefined, args);
    return serialize(value, limits);
  } catch (error) {
    const stop = budget.stopped();
    if (stop) return stoppedReply(stop);
    const { name, message } = describe(error);
    return failure("method-failed", name, message);
  }
}

/** What a handler that ran to its end reports: its result stays in the sandbox. */
const HANDLED = reply({ ok: true, json: "null" });

const TIMED_OUT = (): WireReply => failure("call-timeout", "CallBudgetExceeded", "the call ran out of time");

/**
 * One call under its own budget. Most calls settle within a few microtask turns; only one still pending after them
 * gets a deadline timer (a timer per call was the largest cost left on the hot path).
 */
function run(factory: Factory, args: unknown[], $: unknown, env: SandboxEnv, what: string): Promise<WireReply> {
  const { limits } = env;
  const budget = createBudget(limits);
  const ended = noteCall(env.supervision, what);
  return new NativePromise<WireReply>((resolve) => {
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (answer: WireReply) => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimer(timer);
      budget.end();
      ended();
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

/** The entrypoint class of one definition: its tables (JSON from main.js) over the factories of definition.js. */
export function createEntrypoint(tables: SandboxTables, factories: readonly Factory[]) {
  const meta = deepFreeze(tables.meta);
  const byKind = {} as Tables;
  for (const kind of ["method", "event", "schedule", "page", "component"] as const) {
    byKind[kind] = new Map(tables[kind].map(([key, index, context]: EntryRow) => [key, { factory: factories[index]!, context }]));
  }
  // Without a host (called from the Worker), a source reading only the definition's own fields gets just those.
  const data = createDataContext(meta);
  const missing = (what: string, key: string) => new NativePromise<WireReply>((resolve) => resolve(failure("method-not-found", "Error", `no ${what} ${StringOf(key).slice(0, 200)}`)));

  /** The `$` of a call with a host: its events, emitted `hops` away from where the call's own event began. */
  const stateful = (host: SandboxHost, env: SandboxEnv, hops: number) => createContext(meta, host, (name, value) => deliver(name, value, { name, source: meta.$id, hops }, host, env));
  const contextFor = (entry: Entry, host: SandboxHost | undefined, env: SandboxEnv, hops = 0) =>
    entry.context === "none" ? undefined : host ? stateful(host, env, hops) : entry.context === "data" ? data : undefined;

  /**
   * The handlers of an event in this object: each matching one runs here, in pattern order, under its own budget with
   * its own copy of the data (a failing one is reported, never thrown). An event already `maxEventDepth` hops deep
   * runs nothing (the host refuses it).
   */
  async function runHandlers(name: string, value: unknown, event: EventInfo, host: SandboxHost, env: SandboxEnv): Promise<HandlerOutcome[]> {
    const handlers: HandlerOutcome[] = [];
    if (event.hops >= env.limits.maxEventDepth) return handlers;
    for (const [pattern, entry] of byKind.event) {
      if (!matchesEvent(pattern, name)) continue;
      const answer = await run(entry.factory, [clone(value), { ...event }], contextFor(entry, host, env, event.hops + 1), env, `event ${pattern}`);
      handlers.push({ pattern, reply: answer[0] === "=" ? HANDLED : answer });
    }
    return handlers;
  }

  /** `$.emit`: the event's handlers run where it was emitted; the host then logs them and bubbles the event. */
  async function deliver(name: string, value: unknown, event: EventInfo, host: SandboxHost, env: SandboxEnv): Promise<void> {
    return host.emitted(name, value, event.hops, await runHandlers(name, value, event, host, env));
  }

  return class Definition extends WorkerEntrypoint<SandboxEnv> {
    call(name: string, params: unknown[], host?: SandboxHost): Promise<WireReply> {
      const entry = byKind.method.get(StringOf(name));
      if (!entry) return missing("method", name);
      return run(entry.factory, isArray(params) ? params : [], contextFor(entry, host, this.env), this.env, `method ${StringOf(name)}`);
    }

    /** An event bubbled up from a child: its handlers run as for one emitted here; the reply is their outcomes. */
    async event(value: unknown, host: SandboxHost, event: EventInfo): Promise<WireReply> {
      const info = { name: StringOf(event.name), source: StringOf(event.source), hops: +event.hops };
      return reply({ ok: true, json: stringify(await runHandlers(info.name, value, info, host, this.env)) });
    }

    schedule(pattern: string, host: SandboxHost | undefined, tick: TickInfo): Promise<WireReply> {
      const entry = byKind.schedule.get(StringOf(pattern));
      if (!entry) return missing("schedule", pattern);
      return run(entry.factory, [tick], contextFor(entry, host, this.env), this.env, `schedule ${StringOf(pattern)}`);
    }

    page(key: string, info: PageInfo, calls: ComponentCall[], host?: SandboxHost): Promise<WireReply> {
      const entry = byKind.page.get(StringOf(key));
      if (!entry) return missing("page", key);
      // A page's `$` serves its expressions and its components alike.
      const $ = host ? stateful(host, this.env, 0) : undefined;
      return run(pageFactory(entry, info, calls, byKind.component), [], $, this.env, `page ${StringOf(key)}`);
    }

    /** Creates every function once (no user code runs: each source is a function expression) and reports failures. */
    check(): CheckProblem[] {
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
  };
}
