import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Snapshot } from "../../registry/index.ts";
import { trialLoad } from "../../runtime/index.ts";
import { problem } from "../support/http.ts";
import { api, token, unique } from "../support/worker-client.ts";

const hostile = {
  api: {
    spin: "async () => { while (true) {} }",
    spinCaught: "async () => { for (;;) { try { while (true) {} } catch {} } }",
    caughtThenReturn: "async () => { try { while (true) {} } catch {} return 'escaped' }",
    recurse: "function f() { return f() }",
    asyncSpin: "async () => { while (true) { await null } }",
    forever: "async () => new Promise(() => {})",
    timers: "async () => { const tick = (r) => setTimeout(() => tick(r), 1); return new Promise(tick) }",
    net: "async () => (await fetch('http://169.254.169.254/latest/meta-data')).status",
    localhost: "async () => (await fetch('http://localhost:8787/')).status",
    sum: "async (n) => { let s = 0; for (let i = 0; i < n; i++) s += i; return s }",
    alive: "async () => 'still here'",
    loopEvents: "async () => { await $.emit('Ping.sent', {}); return (await $.db.Hop.list()).length }",
    bigResult: "async () => 'x'.repeat(9 * 1024 * 1024)",
    // Each event sets off two more: handlers that each spin would get a fresh budget apiece if they had their own.
    fanOut: "async () => { await $.emit('Spin.start', {}); return 'not reached' }",
  },
  events: {
    "Ping.sent": "async () => { await $.db.Hop.create({}); await $.emit('Ping.sent', {}) }",
    "Spin.*": "async () => { let i = 0; while (i < 1e7) i++; await $.emit('Spin.more', {}); await $.emit('Spin.more', {}) }",
  },
};

describe("the sandbox", () => {
  let id: string;
  beforeAll(async () => {
    id = unique("hostile");
    expect((await api.put(id, hostile, token)).status).toBe(201);
    await api.put("bystander.do", { api: { hello: "async () => 'hello'" } }, token);
  });

  it("stops while(true){} with 504 cpu-limit, and other objects keep answering meanwhile", async () => {
    const [spin, bystander] = await Promise.all([api.rpc(id, "spin"), api.rpc("bystander.do", "hello")]);
    expect((await problem(spin, 504)).code).toBe("cpu-limit");
    expect(await bystander.json()).toEqual({ result: "hello" });
    expect(await api.result(id, "alive")).toBe("still here");
  });

  it("stops a loop that catches the guard's error, and a call that returns after catching it", async () => {
    expect((await problem(await api.rpc(id, "spinCaught"), 504)).code).toBe("cpu-limit");
    expect((await problem(await api.rpc(id, "caughtThenReturn"), 504)).code).toBe("cpu-limit");
  });

  it("stops unbounded async loops with 504 at the wall-clock limit", async () => {
    expect((await problem(await api.rpc(id, "asyncSpin"), 504)).code).toBe("cpu-limit");
    expect((await problem(await api.rpc(id, "timers"), 504)).code).toBe("call-timeout");
    expect(await api.result("bystander.do", "hello")).toBe("hello");
  });

  it("stops a call that waits forever at the wall-clock limit", async () => {
    expect((await problem(await api.rpc(id, "forever"), 504)).code).toBe("call-timeout");
    expect(await api.result(id, "alive")).toBe("still here");
  });

  it("turns unbounded recursion into a method failure", async () => {
    expect((await problem(await api.rpc(id, "recurse"), 500)).detail).toMatch(/RangeError|CPU budget/);
  });

  it("lets honest loops run to completion", async () => {
    expect(await api.result(id, "sum", [1_000_000])).toBe(499999500000);
  });

  it("has no network: fetch() fails inside a definition", async () => {
    for (const method of ["net", "localhost"]) {
      const body = await problem(await api.rpc(id, method), 500);
      expect(body.detail).toMatch(/not permitted to access the internet/);
    }
  });

  it("stops a call and every handler it set off at one budget: a spinning fan-out of events answers 504", async () => {
    const started = Date.now();
    expect((await problem(await api.rpc(id, "fanOut"), 504)).code).toBe("cpu-limit");
    // 2^8 handlers of 1e7 ticks each would be 2.5e9 ticks; the call's budget (CALL_TICK_BUDGET, 2e7 here) stops them.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await api.result(id, "alive")).toBe("still here");
  });

  it("cuts event cycles at the depth limit and still answers the emitter", async () => {
    expect(await api.result(id, "loopEvents")).toBe(8);
  });

  it("refuses results over the result cap with 413", async () => {
    expect((await problem(await api.rpc(id, "bigResult"), 413)).code).toBe("result-too-large");
  });
});

describe("the trial load at publish", () => {
  const snapshot = (api: Record<string, string>): Snapshot => ({ hash: "f".repeat(64), provenance: { source: "api", at: "" }, definition: { $id: "trial.do", api } });

  it("passes good code and names each method that is not a function expression", async () => {
    const options = { cpuMs: 50, ticks: 1e6, callMs: 1000, maxResultBytes: 1_000_000, maxEventDepth: 8, fsxPerCall: 1000 };
    expect(await trialLoad(env.LOADER, snapshot({ ok: "async () => 1" }), options)).toEqual([]);
    const issues = await trialLoad(env.LOADER, snapshot({ ok: "async () => 1", bad: "42" }), options);
    expect(issues).toEqual([expect.objectContaining({ code: "load-failed" })]);
  });
});
