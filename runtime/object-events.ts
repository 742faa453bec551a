// Events inside one object: run the handlers whose pattern matches, record each run, then bubble the event to the
// object `$context` names (CDC) when that object accepts it, carrying where it came from; a hop limit cuts cycles.
import { contextId } from "../registry/index.ts";
import type { EventLog, EventRecord } from "./context/event-log.ts";
import type { HostContext } from "./context/host-context.ts";
import { matchingHandlers } from "./events.ts";
import { settleCall } from "./executor/invoke.ts";
import type { PreparedVersion, SandboxEntrypoint } from "./executor/loader.ts";
import type { RuntimeLimits } from "./limits.ts";

/** One event on its way: its name and data, the object it was emitted in, and how many hops it has made. */
export interface EventEnvelope {
  name: string;
  data: unknown;
  source: string;
  hops: number;
}

export interface EventScope {
  id: string;
  version: PreparedVersion;
  /** Asked for only when a handler matches (see ScheduleScope.sandbox). */
  sandbox(): SandboxEntrypoint;
  log: EventLog;
  limits: RuntimeLimits;
  /** The `$` of a handler run, whose own emits continue with `hops + 1`. */
  host(hops: number): HostContext;
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

/** Runs one event's handlers in pattern order (a failing one is recorded, never thrown), then bubbles it. */
export async function dispatchEvent(scope: EventScope, envelope: EventEnvelope): Promise<void> {
  const { name, source, hops } = envelope;
  const record = (handler: string | null, status: EventRecord["status"], detail: string | null = null) =>
    scope.log.record({ name, source, hops, handler, status, detail });
  if (hops >= scope.limits.maxEventDepth) {
    record(null, "cut", `${scope.limits.maxEventDepth} hops already: a cycle?`);
    throw new Error(`event ${name} exceeded the event depth limit of ${scope.limits.maxEventDepth}`);
  }
  const { eventPatterns } = scope.version.built;
  const handlers = matchingHandlers(eventPatterns, name);
  if (handlers.length === 0) record(null, "unhandled");
  for (const index of handlers) {
    const pattern = eventPatterns[index]!;
    const call = scope.sandbox().event(pattern, envelope.data, scope.host(hops + 1), { name, source, hops });
    const reply = await settleCall(call, scope.id, `event handler ${pattern}`, scope.limits);
    if (reply.ok) record(pattern, "ok");
    else record(pattern, "failed", reply.failure.message);
  }
  const parent = contextId(scope.version.snapshot.definition.$context);
  if (parent && parent !== scope.id) {
    try {
      const from = { id: scope.id, publisherScopes: scope.version.snapshot.provenance.scopes ?? [] };
      const outcome = await scope.bubble(parent, { ...envelope, hops: hops + 1 }, from);
      if (outcome.delivered) record(null, "bubbled", parent);
      else record(null, "refused", outcome.reason.slice(0, 500));
    } catch (error) {
      record(null, "bubble-failed", `${parent}: ${(error as Error).message}`.slice(0, 500));
    }
  }
}
