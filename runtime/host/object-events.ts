// Events inside one object: its sandbox runs the matching handlers where the event was emitted (prelude.ts) and
// reports each event with the call's reply; here each report is checked and recorded once the call has answered, then
// the event bubbles to the object `$context` names (CDC) when that object accepts it, carrying where it came from; a
// hop limit cuts cycles.
import type { Result } from "../../core/index.ts";
import { contextId } from "../../registry/index.ts";
import type { EventLog, EventRecord } from "./context/event-log.ts";
import { matchingHandlers } from "../facet/event-match.ts";
import { settleReply } from "../executor/invoke.ts";
import type { PreparedVersion } from "../executor/loader.ts";
import type { EventReport } from "../shared/sandbox-protocol.ts";
import type { RuntimeLimits } from "../shared/limits.ts";
import type { BubbleOrigin, BubbleOutcome, EventEnvelope } from "../shared/host-rpc.ts";

export type { BubbleOrigin, BubbleOutcome, EventEnvelope };

/** Where the events of one sandbox call begin: a call's own (this object, no hop yet) or the event it delivers. */
export type EventOrigin = Pick<EventEnvelope, "source" | "hops">;

export interface EventScope {
  id: string;
  version: PreparedVersion;
  log: EventLog;
  limits: RuntimeLimits;
  /** Runs the handlers of a bubbled event in this object's sandbox; its reports are settled with `envelope` as origin. */
  deliver(envelope: EventEnvelope): Promise<Result<{ json: string }>>;
  /** Hands the event to the parent object in the same environment, which decides whether it accepts it. */
  bubble(parent: string, envelope: EventEnvelope, from: BubbleOrigin): Promise<BubbleOutcome>;
}

/**
 * One event a sandbox reported: each declared handler that matches is recorded as it ended (anything else the sandbox
 * reports is ignored), then the event bubbles. Throws once the event went too deep. Its hops count from the call's
 * origin: what the call itself emitted (depth 0) comes from the origin's source, deeper events from this object.
 */
export async function recordEvent(scope: EventScope, origin: EventOrigin, { name, depth, data, handlers }: EventReport): Promise<void> {
  const hops = origin.hops + depth;
  const source = depth === 0 ? origin.source : scope.id;
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

/** The events one sandbox call reported, in order, once it answered (a cut one was refused to its emitter already). */
export async function settleEvents(scope: EventScope, origin: EventOrigin, reports: EventReport[]): Promise<void> {
  for (const report of reports) await recordEvent(scope, origin, report).catch(() => undefined);
}

/**
 * An event bubbled up from a child: delivered in this object's sandbox, which runs the matching handlers and reports
 * the event with its reply. With no handler to run (or too deep to run any), no sandbox is asked.
 */
export async function deliverEvent(scope: EventScope, envelope: EventEnvelope): Promise<void> {
  const { name, data, source, hops } = envelope;
  if (hops >= scope.limits.maxEventDepth || matchingHandlers(scope.version.built.eventPatterns, name).length === 0) {
    return recordEvent(scope, envelope, { name, depth: 0, data, handlers: [] });
  }
  const reply = await scope.deliver(envelope);
  if (!reply.ok) scope.log.record({ name, source, hops, handler: null, status: "failed", detail: reply.failure.message });
}
