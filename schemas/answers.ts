// The answers of the HTTP API, typed once: the server builds them, the CLI (and any TypeScript client) reads them.
import type { Histogram } from "./latency.ts";
import type { Rollout } from "./rollout.ts";
import type { NormalizedDefinition } from "./definition.ts";
import type { Provenance, Publication, RefState } from "./snapshot.ts";

/** The kinds of surface a contract is made of. */
export type SurfaceKind = "method" | "tool" | "event" | "schedule" | "page" | "prompt";

export interface ContractChange {
  kind: SurfaceKind;
  name: string;
  /** re-signed: callers see another signature; modified: same signature, other body. */
  change: "added" | "removed" | "re-signed" | "modified";
  before?: string;
  after?: string;
  breaking: boolean;
}

/** A breaking change published inside a version range clients pin. */
export interface RangeBreak {
  from: string;
  to: string;
  /** The range clients pin and now receive the break through (`^1`, `^0.3`). */
  range: string;
  /** The version it should have been published as. */
  suggested: string;
}

export interface ContractDiff {
  from: { hash: string; version?: string } | null;
  to: { hash: string; version?: string };
  changes: ContractChange[];
  breaking: boolean;
  rangeBreak?: RangeBreak;
}

/** A contract diff with its one-line headline and its lines as people read them. */
export interface DescribedDiff extends ContractDiff {
  headline: string;
  lines: string[];
}

/** `GET /<id>[@ref]/__diff?from=<ref>`: the contract diff, its headline and lines, and the refs compared. */
export interface DiffView extends DescribedDiff {
  id: string;
}
export type DiffResponse = DiffView & { refs: { from: string; to: string } };

/** `GET /<id>[@ref]` as JSON: the definition the ref serves, with the object's refs and versions. */
export type DescribeResponse = Pick<RefState, "refs" | "versions" | "quarantined"> & {
  id: string;
  ref: string;
  hash: string;
  definition: NormalizedDefinition;
  provenance: Provenance;
};

/** `GET /<id>/versions`: the history, newest first; quarantined and retired versions when there are some. */
export type HistoryResponse = Pick<RefState, "refs" | "versions" | "quarantined" | "retired"> & { id: string; publications: Array<Publication & { diff?: DescribedDiff }> };

/** `POST /<id>/rollback` and `POST /<id>/promote`: where `latest` moved, and the contract diff of the move. */
export interface MoveResponse {
  id: string;
  latest: string;
  previous: string | null;
  diff: ContractDiff;
}

/** `POST /<id>/__retire`: the version, and its calls in the window checked. */
export interface RetireResponse {
  id: string;
  hash: string;
  versions: string[];
  retired: boolean;
  /** Calls of the version in the last `days` days (a forced retire says what it overrode). */
  usage: { days: number; calls: number; lastSeen: string | null };
}

/** `POST /<id>/release`. */
export interface ReleaseResponse {
  id: string;
  hash: string;
  released: true;
}

/** One object as listings show it: its last publication (any ref), and what `latest` serves. */
export interface IndexEntry {
  id: string;
  latest: string | null;
  /** When and how it last changed. */
  updatedAt: string;
  source: string;
  message?: string;
}

/** `GET /_/objects`: a page of the objects a token's scope covers; `next` continues (`?after=`), null at the end. */
export interface ListingResponse {
  objects: IndexEntry[];
  next: string | null;
}

/** `GET /_/whoami`. */
export interface WhoamiResponse {
  subject: string;
  scopes: string[];
}

/** `POST /<id>/rpc` and `/api/…`. */
export interface CallResponse {
  result: unknown;
}

/** One line of `GET /<id>/__calls`. */
export type CallEntry = {
  at: string;
  method: string;
  /** How the caller named the version (`latest`, `v1.2.0`, `^1`). */
  ref: string;
  status: "ok" | "failed";
  ms: number;
  detail: string | null;
};
export type CallRecord = CallEntry & { seq: number };

/** Calls of one (ref as named, content hash that answered, caller) in one journal window. */
export type UsageCount = { ref: string; hash: string; caller: string; calls: number; failed: number; /** Date.now() of the newest. */ last: number };
/** What `GET /<id>/__usage` asks: the last `days` days before `now`, of one ref (as named, or a hash prefix) or all. */
/** Calls one side of a rollout answered in one step and one 10 s slot: counts and latencies (see latency.ts). */
export type RolloutCount = { rollout: string; step: number; arm: "stable" | "canary"; slot: number; calls: number; failed: number; latency: Histogram };
/** One point of a rollout's series: one side's calls in one 10 s slot (`slot`: its start, ms since the epoch). */
export type RolloutSeriesPoint = { slot: number; arm: "stable" | "canary"; step: number; calls: number; failed: number; p99Ms: number | null };
/** `GET /<id>/rollout`: the running (or last) rollout, when its next analysis runs, and both sides' calls over time. */
export interface RolloutStatusResponse {
  id: string;
  rollout: Rollout | null;
  nextAnalysisAt: string | null;
  series: RolloutSeriesPoint[];
}
export type UsageQuery = { days: number; now: number; ref?: string };
type UsageGroup = { calls: number; failed: number; lastSeen: string };
/** `GET /<id>/__usage`: which versions and refs were called, by whom, how often, last seen. */
export type UsageReport = {
  id: string;
  environment: string;
  since: string;
  days: number;
  ref?: string;
  total: { calls: number; failed: number };
  versions: Array<UsageGroup & { hash: string; refs: string[] }>;
  refs: Array<UsageGroup & { ref: string }>;
  callers: Array<UsageGroup & { caller: string }>;
  daily: Array<{ day: string; calls: number; failed: number }>;
};

/** One line of `GET /<id>/__events`: a handler run an event caused. */
export type EventRecord = {
  seq: number;
  at: string;
  name: string;
  /** The object the event was emitted in (differs from this object when it bubbled here through `$context`). */
  source: string;
  hops: number;
  handler: string | null;
  /** `refused`: the `$context` parent does not accept this object; the event went no further. */
  status: "ok" | "failed" | "unhandled" | "bubbled" | "refused" | "bubble-failed" | "cut";
  detail: string | null;
};

/** One run of a schedule. */
export type ScheduleRun = { seq: number; pattern: string; at: string; duration_ms: number; ok: number; detail: string | null };
/** A schedule as `GET /<id>/__schedules` shows it: its next run as an ISO time. */
export type ScheduleView = { pattern: string; cron: string; next_at: string; skipped: number };

/** The channels of `$` messages. */
export const CHANNELS = ["email", "sms", "slack"] as const;
export type Channel = (typeof CHANNELS)[number];

/** One message `$.email`, `$.sms` or `$.slack` kept or sent. */
export type OutboxEntry = {
  seq: number;
  channel: Channel;
  text: string;
  at: string;
  status: "outbox" | "sent" | "failed";
  detail: string | null;
};

/** Calls of one minute at one ref, every call counted (the call log keeps only a sample). `minute`: its start, ISO. */
export type CallMinute = { minute: string; ref: string; calls: number; failed: number };
/** The same counts as the Worker's journal sends them (`minute`: its start, ms since the epoch). */
export type MinuteCount = { minute: number; ref: string; calls: number; failed: number };

/** What each of an object's own records answers (`GET /<id>/__<kind>`), besides its id and environment. */
export interface ObjectRecords {
  /** The call log (a sample: its newest thousand) and every call of the last hour counted per minute and ref. */
  calls: { calls: CallRecord[]; minutes: CallMinute[] };
  events: { events: EventRecord[] };
  schedules: { schedules: ScheduleView[]; runs: ScheduleRun[] };
  outbox: { outbox: OutboxEntry[] };
}
export type ObjectRecordKind = keyof ObjectRecords;
export type ObjectRecordsResponse<K extends ObjectRecordKind> = ObjectRecords[K] & { id: string; environment: string };
