import { describe, expect, it } from "vitest";
import { createCallJournal, KEPT_PER_WINDOW, USAGE_GROUPS_PER_WINDOW, type NotedCall } from "../../runtime/worker/call-journal.ts";
import type { UsageCount } from "../../schemas/index.ts";
import type { CallEntry } from "../../runtime/host/context/call-log.ts";

const call = (ok: boolean, n: number): NotedCall => ({ at: Date.UTC(2026, 10, 26, 0, 0, 0, n), method: "hi", ref: "latest", ok, ms: 1, detail: ok ? null : "boom" });

describe("the call journal", () => {
  it("sends one batch per object after the window, keeping the first calls of each outcome and counting the rest", async () => {
    const sent: Array<{ environment: string; id: string; entries: CallEntry[] }> = [];
    const waited: Array<Promise<unknown>> = [];
    const journal = createCallJournal(async (environment, id, entries) => void sent.push({ environment, id, entries }), 10);
    for (let i = 0; i < KEPT_PER_WINDOW + 5; i++) journal.note("production", "a.do", call(true, i), { waitUntil: (promise) => void waited.push(promise) });
    journal.note("production", "a.do", call(false, 0), { waitUntil: (promise) => void waited.push(promise) });
    journal.note("pr-1", "a.do", call(true, 0), { waitUntil: (promise) => void waited.push(promise) });
    expect(waited).toHaveLength(1);
    expect(sent).toEqual([]);
    await Promise.all(waited);
    expect(sent.map((batch) => `${batch.environment} ${batch.id} ${batch.entries.length}`)).toEqual([`production a.do ${KEPT_PER_WINDOW + 2}`, "pr-1 a.do 1"]);
    const production = sent[0]!.entries;
    expect(production[0]).toEqual({ at: "2026-11-26T00:00:00.000Z", method: "hi", ref: "latest", status: "ok", ms: 1, detail: null });
    expect(production.filter((entry) => entry.status === "failed" && entry.method === "hi")).toHaveLength(1);
    expect(production.at(-1)).toMatchObject({ method: "(more calls)", status: "ok", detail: "5 successful and 0 failed calls in this window were counted, not logged" });

    journal.note("production", "a.do", call(true, 1), { waitUntil: (promise) => void waited.push(promise) });
    expect(waited).toHaveLength(2);
    await waited[1];
    expect(sent[2]!.entries).toHaveLength(1);
  });

  it("counts usage of every call by ref, version and caller, in a bounded number of groups", async () => {
    const sent: UsageCount[][] = [];
    const waited: Array<Promise<unknown>> = [];
    const ctx = { waitUntil: (promise: Promise<unknown>) => void waited.push(promise) };
    const journal = createCallJournal(async (_, __, ___, usage) => void sent.push(usage), 10);
    for (let i = 0; i < KEPT_PER_WINDOW * 3; i++) journal.note("production", "a.do", { ...call(i % 10 !== 0, i), hash: "h2", caller: "web" }, ctx);
    journal.note("production", "a.do", { ...call(true, 500), ref: "v1.0.0", hash: "h1" }, ctx);
    // Refused before any version ran: nothing to count.
    journal.note("production", "a.do", call(false, 501), ctx);
    for (let i = 0; i < USAGE_GROUPS_PER_WINDOW + 20; i++) journal.note("production", "a.do", { ...call(true, 600), hash: "h2", caller: `c${i}` }, ctx);
    await Promise.all(waited);
    const usage = sent[0]!;
    expect(usage).toHaveLength(USAGE_GROUPS_PER_WINDOW + 1);
    expect(usage.find((u) => u.caller === "web")).toEqual({ ref: "latest", hash: "h2", caller: "web", calls: KEPT_PER_WINDOW * 3, failed: 15, last: call(true, KEPT_PER_WINDOW * 3 - 1).at });
    expect(usage.find((u) => u.hash === "h1")).toMatchObject({ ref: "v1.0.0", caller: "anonymous", calls: 1 });
    const counted = usage.filter((u) => u.caller.startsWith("c")).length;
    expect(usage.find((u) => u.caller === "(others)")!.calls).toBe(USAGE_GROUPS_PER_WINDOW + 20 - counted);
    expect(usage.reduce((sum, u) => sum + u.calls, 0)).toBe(KEPT_PER_WINDOW * 3 + 1 + USAGE_GROUPS_PER_WINDOW + 20);
  });

  it("a failed send drops only its own window: the next one is sent", async () => {
    let fail = true;
    const sent: CallEntry[][] = [];
    const journal = createCallJournal(async (_environment, _id, entries) => {
      if (fail) throw new Error("down");
      sent.push(entries);
    }, 5);
    const waits: Array<Promise<unknown>> = [];
    journal.note("production", "a.do", call(true, 0), { waitUntil: (promise) => void waits.push(promise) });
    await waits[0];
    fail = false;
    journal.note("production", "a.do", call(true, 1), { waitUntil: (promise) => void waits.push(promise) });
    await waits[1];
    expect(sent).toHaveLength(1);
  });
});
