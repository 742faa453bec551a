// The call log's writer. Calls are noted in the Worker and reach their object's log in batches: one Durable Object
// call per object and window (2 s), sent after the response (waitUntil), so a call pays for a push, never for a write
// the object would have to commit before answering. Per object and window an isolate keeps the first 50 successful and
// the first 50 failed calls and counts the rest in one summary record: in production hundreds of isolates may serve
// one hot object, and its log (which keeps 1,000 rows) must not become its bottleneck. Usage (ref, version, caller) is
// counted for every call, in at most 100 groups per window (the rest are one "(others)" caller). A call a rollout split
// is counted, with its latency, under its rollout, step and side: every one, for the step's analysis.
import type { CallEntry, MinuteCount, RolloutCount, UsageCount } from "../../schemas/index.ts";
import { countRollout, type RolloutTag } from "../shared/rollout-counts.ts";

export type SendCalls = (environment: string, id: string, entries: CallEntry[], usage: UsageCount[], rollout: RolloutCount[], minutes: MinuteCount[]) => Promise<void>;

export interface NotedCall {
  /** Date.now() when the call started. */
  at: number;
  method: string;
  ref: string;
  ok: boolean;
  ms: number;
  detail: string | null;
  /** The content hash that answered; absent when no version did (refused before it ran). */
  hash?: string;
  /** Who called (`Objects-Caller`), else `anonymous`. */
  caller?: string;
  /** Set when a rollout chose the version. */
  rollout?: RolloutTag;
}

export const KEPT_PER_WINDOW = 50;
export const USAGE_GROUPS_PER_WINDOW = 100;
export const WINDOW_MS = 2000;

interface Slot {
  environment: string;
  id: string;
  calls: NotedCall[];
  kept: { ok: number; failed: number };
  skipped: { ok: number; failed: number };
  usage: Map<string, UsageCount>;
  rollout: Map<string, RolloutCount>;
  /** Every call by minute and ref: exact counts for the charts, whatever the log kept. */
  minutes: Map<string, MinuteCount>;
}

const MINUTE_MS = 60_000;

function countMinute(minutes: Map<string, MinuteCount>, call: NotedCall): void {
  const minute = Math.floor(call.at / MINUTE_MS) * MINUTE_MS;
  const key = `${minute}\n${call.ref}`;
  let count = minutes.get(key);
  if (!count) minutes.set(key, (count = { minute, ref: call.ref, calls: 0, failed: 0 }));
  count.calls++;
  if (!call.ok) count.failed++;
}

function countUsage(usage: Map<string, UsageCount>, call: NotedCall): void {
  if (!call.hash) return;
  let key = `${call.ref}\n${call.hash}\n${call.caller ?? "anonymous"}`;
  let count = usage.get(key);
  if (!count && usage.size >= USAGE_GROUPS_PER_WINDOW) key = `${call.ref}\n${call.hash}\n(others)`;
  count = usage.get(key);
  if (!count) usage.set(key, (count = { ref: call.ref, hash: call.hash, caller: key.slice(key.lastIndexOf("\n") + 1), calls: 0, failed: 0, last: call.at }));
  count.calls++;
  if (!call.ok) count.failed++;
  if (call.at > count.last) count.last = call.at;
}

const entryOf = (call: NotedCall): CallEntry => ({ at: new Date(call.at).toISOString(), method: call.method, ref: call.ref, status: call.ok ? "ok" : "failed", ms: call.ms, detail: call.detail });

/** The records of one window: the kept calls, then a summary of the skipped ones, if any. */
export function recordsOf(slot: Pick<Slot, "calls" | "skipped">, now: number): CallEntry[] {
  const { ok, failed } = slot.skipped;
  const summary: CallEntry[] = ok + failed > 0 ? [{ at: new Date(now).toISOString(), method: "(more calls)", ref: "*", status: failed > 0 ? "failed" : "ok", ms: 0, detail: `${ok} successful and ${failed} failed calls in this window were counted, not logged` }] : [];
  return [...slot.calls.map(entryOf), ...summary];
}

export function createCallJournal(send: SendCalls, delayMs = WINDOW_MS) {
  // environment → object id → the calls of this window.
  let pending = new Map<string, Map<string, Slot>>();
  let scheduled = false;

  async function flush(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const batch = pending;
    pending = new Map();
    scheduled = false;
    const now = Date.now();
    const slots = [...batch.values()].flatMap((objects) => [...objects.values()]);
    await Promise.all(slots.map((slot) => send(slot.environment, slot.id, recordsOf(slot, now), [...slot.usage.values()], [...slot.rollout.values()], [...slot.minutes.values()]).catch(() => undefined)));
  }

  /** The window's slot of an object; the first use of a window keeps its request alive (waitUntil) until the batch is sent. */
  function slotOf(environment: string, id: string, ctx: Pick<ExecutionContext, "waitUntil"> | undefined): Slot {
    let objects = pending.get(environment);
    if (!objects) pending.set(environment, (objects = new Map()));
    let slot = objects.get(id);
    if (!slot) objects.set(id, (slot = { environment, id, calls: [], kept: { ok: 0, failed: 0 }, skipped: { ok: 0, failed: 0 }, usage: new Map(), rollout: new Map(), minutes: new Map() }));
    if (!scheduled && ctx) {
      scheduled = true;
      ctx.waitUntil(flush());
    }
    return slot;
  }

  return {
    /** Notes one call in the call log, its usage and (when a rollout chose its version) the rollout's counts. */
    note(environment: string, id: string, call: NotedCall, ctx: Pick<ExecutionContext, "waitUntil"> | undefined): void {
      const slot = slotOf(environment, id, ctx);
      const kind = call.ok ? "ok" : "failed";
      if (slot.kept[kind] < KEPT_PER_WINDOW) {
        slot.kept[kind]++;
        slot.calls.push(call);
      } else slot.skipped[kind]++;
      countUsage(slot.usage, call);
      countRollout(slot.rollout, call);
      countMinute(slot.minutes, call);
    },

    /** Counts a request a rollout split that the call log does not keep (a page, an MCP request) for the analysis only. */
    countSplit(environment: string, id: string, call: Pick<NotedCall, "at" | "ok" | "ms" | "rollout">, ctx: Pick<ExecutionContext, "waitUntil"> | undefined): void {
      countRollout(slotOf(environment, id, ctx).rollout, call);
    },
  };
}

export type CallJournal = ReturnType<typeof createCallJournal>;
