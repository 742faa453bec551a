// Events inside one object: its sandbox runs the matching handlers where the event was emitted (prelude.ts) and
// reports how each ended; here each run is checked and recorded, then the event bubbles to the object `$context`
// names (CDC) when that object accepts it, carrying where it came from; a hop limit cuts cycles.
import { contextId } from "../registry/index.ts";
import type { EventLog, EventRecord } from "./context/event-log.ts";
import type { HostContext } from "./context/host-context.ts";
import { matchingHandlers } from "./executor/sandbox/event-match.ts";
import { settleCall, settleReply } from "./executor/invoke.ts";
import type { PreparedVersion, SandboxEntrypoint } from "./executor/loader.ts";
import { handlerOutcomes, type HandlerOutcome } from "./executor/sandbox/protocol.ts";
import type { RuntimeLimits } from "./limits.ts";

/** One event on its way: its name and data, the object it was emitted in, and how many hops it has made. */
export interface EventEnvelope {
  name: string;
  data: unknown;
  source: string;
  hops: number;
}

/** Where the events of one sandbox call begin: a call's own (this object, no hop yet) or the event it delivers. */
export type EventOrigin = Pick<EventEnvelope, "source" | "hops">;

export interface EventScope {
  id: string;
  version: PreparedVersion;
  /** Asked for only when a handler matches (see ScheduleScope.sandbox). */
  sandbox(): SandboxEntrypoint;
  log: EventLog;
  limits: RuntimeLimits;
  /** The `$` of the sandbox call that delivers a bubbled event: the events of its handlers begin at `origin`. */
  host(origin: EventOrigin): HostContext;
  /** Hands the event to the parent object in the same environment, which decides whether it accepts it. */
  bubble(parent: string, envelope: EventEnvelope, from: BubbleOrigin): Promise<BubbleOutcome>;
}

/** The child an event bubbles from (not the object that first emitted it), with its consent evidence. */
export interface BubbleOrigin {
  id: string;
  /** The scopes of whoever published the child's running version. */
  publisherScopes: string[];
}

export type BubbleOutcome = { delivered: true } | { delivered: false; reason: string };

/**
 * An event the sandbox delivered, with its handlers' outcomes: each declared handler that matches is recorded as it
 * ended (anything else the sandbox reports is ignored), then the event bubbles. Throws once the event went too deep.
 * The sandbox counts hops from its call's origin; it cannot place an event before that origin.
 */
export async function recordEvent(scope: EventScope, origin: EventOrigin, name: string, data: unknown, reportedHops: number, handlers: HandlerOutcome[]): Promise<void> {
  const hops = Math.max(origin.hops, reportedHops);
  const source = hops === origin.hops ? origin.source : scope.id;
  const record = (handler: string | null, status: EventRecord["status"], detail: string | null = null) =>
    scope.log.record({ name, source, hops, handler, status, detail });
  if (hops >= scope.limits.maxEventDepth) {
    record(null, "cut", `${scope.limits.maxEventDepth} hops already: a cycle?`);
    throw new Error(`event ${name} exceeded the event depth limit of ${scope.limits.maxEventDepth}`);
  }
  const { eventPatterns } = scope.version.built;
  const declared = new Set(matchingHandlers(eventPatterns, name).map((index) => eventPatterns[index]!));
  if (declared.size === 0) record(null, "unhandled");
  for (const { pattern, reply } of handlers) {
    if (!declared.delete(pattern)) continue;
    const settled = settleReply(reply, scope.id, `event handler ${pattern}`, scope.limits);
    if (settled.ok) record(pattern, "ok");
    else record(pattern, "failed", settled.failure.message);
  }
  const parent = contextId(scope.version.snapshot.definition.$context);
  if (parent && parent !== scope.id) {
    try {
      const from = { id: scope.id, publisherScopes: scope.version.snapshot.provenance.scopes ?? [] };
      const outcome = await scope.bubble(parent, { name, data, source, hops: hops + 1 }, from);
      if (outcome.delivered) record(null, "bubbled", parent);
      else record(null, "refused", outcome.reason.slice(0, 500));
    } catch (error) {
      record(null, "bubble-failed", `${parent}: ${(error as Error).message}`.slice(0, 500));
    }
  }
}

/**
 * An event bubbled up from a child: its handlers run in this object's sandbox, which answers how each ended; they are
 * recorded as an emitted event's are. With no handler to run (or too deep to run any), no sandbox is asked.
 */
export async function deliverEvent(scope: EventScope, envelope: EventEnvelope): Promise<void> {
  const { name, data, source, hops } = envelope;
  let handlers: HandlerOutcome[] = [];
  if (hops < scope.limits.maxEventDepth && matchingHandlers(scope.version.built.eventPatterns, name).length > 0) {
    const reply = await settleCall(scope.sandbox().event(data, scope.host(envelope), { name, source, hops }), scope.id, `event ${name}`, scope.limits);
    if (!reply.ok) return scope.log.record({ name, source, hops, handler: null, status: "failed", detail: reply.failure.message });
    handlers = outcomesOf(reply.value.json);
  }
  return recordEvent(scope, envelope, name, data, hops, handlers);
}

/** The outcomes a sandbox answered, as JSON. */
function outcomesOf(json: string): HandlerOutcome[] {
  try {
    return handlerOutcomes(JSON.parse(json));
  } catch {
    return [];
  }
}
