// Local workerd never unloads a loaded definition: the supervisor of `npm start` restarts an idle runtime that holds
// more memory than its budget, on the same state. Here the budget is 0 MB and "idle" 3 s, so it happens at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({}, ["--release-idle-after", "3", "--release-idle-over", "0"]);
});
afterAll(async () => {
  await e2e?.stop();
});

const health = async () => (await (await fetch(`${e2e.server.url}/_/health`)).json()) as { supervisor?: { restarts: number; releases: number } };

/** Calls until the runtime answers (it may be restarting). */
async function callWhenUp(path: string, method: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await e2e.call(path, method);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe("an idle runtime over its memory budget", () => {
  it("is restarted on the same state: loaded definitions are released, data stays, nothing counts as an incident", async () => {
    const token = await e2e.token();
    // A counter on the sandbox's globalThis lives as long as its isolate; one in $.db as long as the object.
    const definition = { api: { tick: "async () => { globalThis.n = (globalThis.n ?? 0) + 1; await $.db.Tick.create({}); return [globalThis.n, (await $.db.Tick.list()).length] }" } };
    const put = await fetch(`${e2e.server.url}/idle.do`, { method: "PUT", headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(definition) });
    expect(put.status).toBe(201);
    expect((await e2e.call("idle.do", "tick")).body.result).toEqual([1, 1]);
    expect((await e2e.call("idle.do", "tick")).body.result).toEqual([2, 2]);
    const deadline = Date.now() + 60_000;
    let released = 0;
    while (released === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      released = (await health().catch(() => ({ supervisor: undefined }))).supervisor?.releases ?? 0;
    }
    expect(released).toBeGreaterThan(0);
    // A fresh isolate (its counter starts again) over the same state (the third document).
    expect((await callWhenUp("idle.do", "tick")).body.result).toEqual([1, 3]);
    expect((await health()).supervisor?.restarts, e2e.server.output()).toBe(0);
    expect(e2e.server.output()).toContain("restarting on the same state to release it");
  });
});
