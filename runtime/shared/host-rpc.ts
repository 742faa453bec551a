// The host object's RPC surface as its callers see it (the Worker, other hosts, the composition root): typed here, so
// none of them imports the host's class. bindings.ts checks that the host's stub satisfies it.
import type { Result } from "../../core/index.ts";
import type { ArmCounts } from "../../registry/index.ts";
import type { CallEntry, MinuteCount, ForkOutcome, ForkRequest, ObjectRecordKind, RolloutCount, RolloutSeriesPoint, UsageCount, UsageQuery, UsageReport } from "../../schemas/index.ts";
import type { Identity, ObjectCall, PageCall } from "./object-calls.ts";

/** One schedule handler run on request (`POST /<id>@<ref>/__schedules/run?pattern=…`), resolved to a content hash. */
export interface ScheduleCall {
  id: string;
  environment: string;
  hash: string;
  label: string;
  pattern: string;
}

type Json = { json: string };

/** One event on its way: its name and data, the object it was emitted in, and how many hops it has made. */
export interface EventEnvelope {
  name: string;
  /** As JSON, as the emitting sandbox reported it: passed along as it is, parsed only by the handlers that run. */
  data: string;
  source: string;
  hops: number;
}

/** The child an event bubbles from (not the object that first emitted it), with its consent evidence. */
export interface BubbleOrigin {
  id: string;
  /** The scopes of whoever published the child's running version. */
  publisherScopes: string[];
}

export type BubbleOutcome = { delivered: true } | { delivered: false; reason: string };

/** Where the next page of an earlier layout's tables starts: a table (by its place in the list) and an offset in it. */
export interface LegacyCursor {
  table: number;
  offset: number;
}

/** One page of an earlier layout's table. */
export interface LegacyPage {
  table: string;
  columns: string[];
  rows: unknown[][];
  /** Null after the last page. */
  next: LegacyCursor | null;
}

export interface HostRpc {
  invoke(call: ObjectCall): Promise<Result<Json>>;
  page(call: PageCall): Promise<Result<Json>>;
  runSchedule(call: ScheduleCall): Promise<Result<Json>>;
  receive(target: Identity, envelope: EventEnvelope, from: BubbleOrigin): Promise<BubbleOutcome>;
  latestMoved(target: Identity): Promise<void>;
  recordCalls(target: Identity, entries: CallEntry[], usage?: UsageCount[], rollout?: RolloutCount[], minutes?: MinuteCount[]): Promise<void>;
  rolloutStep(target: Identity, rollout: string, step: number): Promise<{ stable: ArmCounts; canary: ArmCounts }>;
  rolloutSeries(target: Identity, rollout: string): Promise<RolloutSeriesPoint[]>;
  usage(target: Identity, query: UsageQuery): Promise<UsageReport>;
  /** The records of one kind (`ObjectRecords[kind]`: an RPC stub's type cannot carry the method's generic). */
  views(target: Identity, kind: ObjectRecordKind, limit?: number): Promise<unknown>;
  stateBytes(target: Identity): Promise<number>;
  fork(target: Identity, request: ForkRequest): Promise<ForkOutcome>;
  wipe(target: Identity): Promise<void>;
  /** One page of an environment's object of the earlier layout (before hosts held every environment). */
  exportLegacy(cursor?: LegacyCursor): Promise<LegacyPage | null>;
  retireLegacy(): Promise<void>;
}
