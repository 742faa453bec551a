// How a sandboxed call's outcome becomes its wire reply (protocol.ts), with the events the call emitted in front.
// Part of the prelude: runs inside the sandbox, on the globals intrinsics.ts captured.
import type { Budget, StopCode } from "./budget.ts";
import { apply, NativePromise, promiseThen, StringOf, stringify } from "./intrinsics.ts";
import { encodeReply, withEvents, type EventReport, type SandboxFailureCode, type SandboxHost, type SandboxLimits, type SandboxReply, type WireReply } from "../shared/sandbox-protocol.ts";

/** A reply as a string: no `then` on any prototype can reach it. */
export const reply = (fields: SandboxReply): WireReply => encodeReply(fields, stringify);
export const failure = (code: SandboxFailureCode, name: string, message: string) => reply({ ok: false, code, name, message });

/** A thrown value as name and message; reading them may run the definition's own (guarded) getters. */
export function describe(error: unknown): { name: string; message: string } {
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

export function stoppedReply(stop: StopCode): WireReply {
  return failure(stop, "CallBudgetExceeded", stop === "cpu-limit" ? "the call used up its CPU budget" : "the call ran out of time");
}

/** A value as JSON, or why it has none: functions, symbols and bigints are refused rather than silently dropped. */
export function jsonOf(value: unknown, what: string): { json: string } | { refused: string } {
  let refused: string | undefined;
  const json = stringify(value === undefined ? null : value, function (this: unknown, key, item) {
    const type = typeof item;
    if (type === "function" || type === "symbol" || type === "bigint") {
      refused ??= key === "" ? `${what} is a ${type}` : `${what} holds a ${type} at "${StringOf(key).slice(0, 100)}"`;
      return undefined;
    }
    return item;
  }) as string | undefined;
  return refused !== undefined || json === undefined ? { refused: refused ?? what } : { json };
}

export function serialize(value: unknown, limits: SandboxLimits): WireReply {
  if (typeof value === "string" && value.length > limits.maxResultChars) return tooLarge(limits);
  const result = jsonOf(value, "the result");
  if ("refused" in result) return failure("non-serializable-result", "TypeError", `${result.refused}: results must be JSON`);
  if (result.json.length > limits.maxResultChars) return tooLarge(limits);
  return reply({ ok: true, json: result.json });
}

export const tooLarge = (limits: SandboxLimits) => failure("result-too-large", "RangeError", `the result exceeds ${limits.maxResultChars} characters of JSON`);

/**
 * The events one call emitted, in the order they finished (an event's handlers' own events first), for its reply;
 * `hops`: how far the call's own origin already is from where its first event began.
 */
export interface Emitted {
  hops: number;
  /** The call's budget: its handlers spend it too, so a call and everything it set off stop at one limit. */
  budget: Budget;
  reports: EventReport[];
  chars: number;
}

/** A call's collector of events: only a call with a host can emit. */
export const emitted = (hops: number, host: SandboxHost | undefined, budget: Budget): Emitted | undefined => (host ? { hops, budget, reports: [], chars: 0 } : undefined);

/** A reply with the events its call emitted in front (see protocol.ts). */
export const withReports = (wire: WireReply, events: Emitted | undefined): WireReply => (events && events.reports.length > 0 ? withEvents(wire, stringify(events.reports)) : wire);

/** A call's reply once it settles, carrying its events: those emitted after a timeout answered are dropped. */
export function answer(reply: Promise<WireReply>, events: Emitted | undefined): Promise<WireReply> {
  if (!events) return reply;
  return new NativePromise<WireReply>((resolve) => apply(promiseThen, reply, [(wire: WireReply) => resolve(withReports(wire, events))]));
}

/** What a handler that ran to its end reports: its result stays in the sandbox. */
export const HANDLED = reply({ ok: true, json: "null" });

export const TIMED_OUT = (): WireReply => failure("call-timeout", "CallBudgetExceeded", "the call ran out of time");

