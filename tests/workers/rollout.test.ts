import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { DescribeResponse, Rollout, RolloutStatusResponse } from "../../schemas/index.ts";
import { problem } from "../support/http.ts";
import { api, token, unique } from "../support/worker-client.ts";

const auth = { authorization: `Bearer ${token}` };
const rollout = (steps: number[], extra: Record<string, unknown> = {}) => ({ rollout: { steps, interval: "10s", ...extra } });
const v1 = { $version: "1.0.0", api: { which: "async () => 1", other: "async () => 'one'" } };
const v2 = (config: Record<string, unknown>) => ({ $version: "2.0.0", api: { which: "async (fail) => { if (fail) throw new Error('canary broke'); return 2 }", other: "async () => 'two'" }, config });

const call = (id: string, headers: Record<string, string> = {}, params: unknown[] = [], method = "which") =>
  api.fetch(`/${id}/rpc`, { method: "POST", headers, body: JSON.stringify({ method, params }) });
const answer = async (response: Response) => ((await response.json()) as { result: unknown }).result;
const status = async (id: string) => (await (await api.fetch(`/${id}/rollout`, { headers: auth })).json()) as RolloutStatusResponse;
const command = (id: string, action: string, body?: unknown) => api.fetch(`/${id}/rollout/${action}`, { method: "POST", headers: auth, ...(body ? { body: JSON.stringify(body) } : {}) });
const described = async (id: string) => (await (await api.fetch(`/${id}`, { headers: { ...auth, accept: "application/json" } })).json()) as DescribeResponse;
const timer = (id: string) => env.ROLLOUTS.get(env.ROLLOUTS.idFromName(id));

async function start(id: string, config: Record<string, unknown>) {
  const first = (await (await api.put(id, v1, token)).json()) as { hash: string };
  const response = await api.put(id, v2(config), token);
  expect(response.status).toBe(201);
  const second = (await response.json()) as { hash: string; rollout?: { change: string; record: Rollout; message: string } };
  return { stable: first.hash, canary: second.hash, started: second.rollout };
}

/** Counts reach the object in the call log's batches, about two seconds after the calls. */
async function countsOf(id: string, canaryCalls: number): Promise<RolloutStatusResponse> {
  for (let i = 0; i < 100; i++) {
    const report = await status(id);
    const counted = report.series.filter((point) => point.arm === "canary" && point.step === report.rollout!.step).reduce((sum, point) => sum + point.calls, 0);
    if (counted >= canaryCalls) return report;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the canary's ${canaryCalls} calls were never counted`);
}

describe("rollouts declared in config.rollout", () => {
  it("starts a rollout instead of moving latest, and splits @latest calls by the step's share", async () => {
    const id = unique("rollout");
    const { stable, canary, started } = await start(id, rollout([50, 100]));
    expect(started).toMatchObject({ change: "started", record: { stable, canary, weight: 50, status: "progressing" } });
    expect(started!.message).toContain("50% of @latest calls go to");
    expect((await described(id)).hash).toBe(stable);

    // Anonymous calls: within a call or two of the share. Every answer names the version that gave it.
    const answers = await Promise.all(Array.from({ length: 200 }, async () => {
      const response = await call(id);
      const result = await answer(response);
      expect(response.headers.get("objects-version")).toBe(result === 2 ? canary : stable);
      return result;
    }));
    const onCanary = answers.filter((result) => result === 2).length;
    expect(onCanary).toBeGreaterThanOrEqual(90);
    expect(onCanary).toBeLessThanOrEqual(110);

    // Named callers stay on one side; both sides have some of them.
    const sides = new Map<string, Set<unknown>>();
    for (let round = 0; round < 3; round++) {
      for (let n = 0; n < 20; n++) {
        const caller = `caller-${n}`;
        const result = await answer(await call(id, { "objects-caller": caller }));
        sides.set(caller, (sides.get(caller) ?? new Set()).add(result));
      }
    }
    expect([...sides.values()].every((seen) => seen.size === 1)).toBe(true);
    expect(new Set([...sides.values()].map((seen) => [...seen][0]))).toEqual(new Set([1, 2]));

    // A pin and an exact ref are never split.
    expect(await answer(await call(id, { "objects-version": "v1.0.0" }))).toBe(1);
    for (let i = 0; i < 10; i++) expect(await answer(await api.fetch(`/${id}@v1.0.0/rpc`, { method: "POST", body: '{"method":"which"}' }))).toBe(1);
  });

  it("advances on a passing analysis and promotes after the last step: latest moves to the canary", async () => {
    const id = unique("rollout");
    const { stable, canary } = await start(id, rollout([20, 60, 100]));
    for (let i = 0; i < 40; i++) await call(id, { "objects-caller": `c${i}` });
    const counted = await countsOf(id, 1);
    expect(counted.nextAnalysisAt).not.toBeNull();

    // Not due yet: nothing happens.
    expect(await timer(id).analyze(id, Date.now())).toBe(Date.parse(counted.nextAnalysisAt!));
    expect((await status(id)).rollout).toMatchObject({ step: 0, weight: 20 });

    await timer(id).analyze(id, Date.parse(counted.nextAnalysisAt!));
    const advanced = (await status(id)).rollout!;
    expect(advanced).toMatchObject({ step: 1, weight: 60, status: "progressing" });
    expect(advanced.history.at(-1)).toMatchObject({ action: "advanced", weight: 60, analysis: { verdict: "pass" } });
    expect(advanced.history.at(-1)!.analysis!.canary.calls).toBeGreaterThan(0);

    // No calls in the next step: nothing failed, so it promotes on time.
    const next = await timer(id).analyze(id, Date.parse((await status(id)).nextAnalysisAt!));
    expect(next).toBeNull();
    const done = (await status(id)).rollout!;
    expect(done).toMatchObject({ status: "promoted", weight: 0 });
    expect((await described(id)).hash).toBe(canary);
    expect(await answer(await call(id))).toBe(2);
    const history = (await (await api.fetch(`/${id}/versions`, { headers: auth })).json()) as { publications: Array<{ hash: string; refs: string[]; rollout?: string; provenance: { message?: string } }> };
    expect(history.publications[0]).toMatchObject({ hash: canary, refs: ["latest"] });
    expect(history.publications[0]!.provenance.message).toContain("promoted");
    expect(history.publications[1]).toMatchObject({ hash: canary, refs: [], rollout: done.id });
    expect(history.publications[2]).toMatchObject({ hash: stable });
  });

  it("aborts at the first analysis when the canary fails more than the policy allows, and every call goes back", async () => {
    const id = unique("rollout");
    const { stable } = await start(id, rollout([50, 100], { maxErrorRate: 0.01 }));
    // 5% of the canary's calls fail; none of the stable version's can.
    let canaryCalls = 0;
    for (let i = 0; i < 200; i++) {
      const response = await call(id, {}, [i % 20 === 0]);
      if (response.headers.get("objects-version") !== stable) canaryCalls++;
    }
    const counted = await countsOf(id, canaryCalls);
    await timer(id).analyze(id, Date.parse(counted.nextAnalysisAt!));
    const aborted = (await status(id)).rollout!;
    expect(aborted.status).toBe("aborted");
    expect(aborted.reason).toMatch(/analysis failed at 50%: error rate \d+(\.\d)?%/);
    expect(aborted.history.at(-1)!.analysis!.canary.failed).toBeGreaterThan(0);
    for (let i = 0; i < 50; i++) expect((await call(id)).headers.get("objects-version")).toBe(stable);
    expect((await described(id)).hash).toBe(stable);
  });

  it("pauses, resumes, promotes and aborts by hand; a paused rollout is not analysed", async () => {
    const id = unique("rollout");
    const { canary } = await start(id, rollout([10, 100]));
    expect((await command(id, "pause", { reason: "looking at logs" })).status).toBe(200);
    const paused = await status(id);
    expect(paused).toMatchObject({ rollout: { status: "paused", weight: 10 }, nextAnalysisAt: null });
    expect(await timer(id).analyze(id, Date.now() + 3_600_000)).toBeNull();
    expect((await status(id)).rollout!.status).toBe("paused");
    await command(id, "resume");
    expect((await status(id)).rollout).toMatchObject({ status: "progressing", weight: 10 });
    const promoted = (await (await command(id, "promote")).json()) as { rollout: Rollout };
    expect(promoted.rollout).toMatchObject({ status: "promoted", reason: expect.stringContaining("promoted by") });
    expect((await described(id)).hash).toBe(canary);
    expect((await problem(await command(id, "abort"), 409)).code).toBe("rollout-not-active");
    expect((await problem(await command(id, "abort", { nope: 1 }), 400)).code).toBe("rollout-body-invalid");
    expect((await problem(await command(unique("never"), "pause"), 404)).code).toBe("object-not-found");
    expect((await problem(await api.fetch(`/${unique("never")}/rollout`, { headers: auth }), 404)).code).toBe("object-not-found");
    expect((await problem(await api.fetch(`/${id}@v1.0.0/rollout/abort`, { method: "POST", headers: auth }), 400)).code).toBe("ref-not-writable");
    expect((await api.fetch(`/${id}/rollout/abort`, { method: "POST" })).status).toBe(401);
  });

  it("abort sends every call back to the stable version at once", async () => {
    const id = unique("rollout");
    const { stable } = await start(id, rollout([100]));
    expect((await call(id)).headers.get("objects-version")).not.toBe(stable);
    await command(id, "abort", { reason: "bad deploy" });
    expect((await status(id)).rollout).toMatchObject({ status: "aborted", reason: "bad deploy" });
    for (let i = 0; i < 20; i++) expect((await call(id)).headers.get("objects-version")).toBe(stable);
  });

  it("refuses to retire the canary of a running rollout", async () => {
    const id = unique("rollout");
    await start(id, rollout([50, 100]));
    const refused = await problem(await api.fetch(`/${id}/__retire`, { method: "POST", headers: auth, body: '{"ref":"v2.0.0","force":true}' }), 409);
    expect(refused).toMatchObject({ code: "version-serving", detail: expect.stringContaining("the running rollout (as its canary)") });
  });

  it("ramps only the listed methods; the rest stay on the stable version", async () => {
    const id = unique("rollout");
    await start(id, rollout([100], { methods: ["which"] }));
    expect(await answer(await call(id))).toBe(2);
    expect(await answer(await call(id, {}, [], "other"))).toBe("one");
  });

  it("a new change replaces the canary; a change without a rollout moves latest and ends it", async () => {
    const id = unique("rollout");
    const { stable } = await start(id, rollout([50, 100]));
    const third = await (await api.put(id, { ...v2(rollout([50, 100])), $version: "3.0.0" }, token)).json() as { hash: string; rollout: { change: string; record: Rollout } };
    expect(third.rollout).toMatchObject({ change: "replaced", record: { stable, canary: third.hash, weight: 50 } });
    const plain = await (await api.put(id, { $version: "4.0.0", api: { which: "async () => 4" } }, token)).json() as { hash: string; rollout: { change: string; record: Rollout } };
    expect(plain.rollout).toMatchObject({ change: "ended", record: { status: "replaced" } });
    expect((await described(id)).hash).toBe(plain.hash);
    for (let i = 0; i < 10; i++) expect(await answer(await call(id))).toBe(4);
  });

  it("splits pages too, keeps a new browser on its side with a cookie, and counts each page in the step", async () => {
    const id = unique("rollout");
    await api.put(id, { site: { "/": "# Old home" } }, token);
    await api.put(id, { site: { "/": "# New home" }, config: rollout([100]) }, token);
    const page = await api.fetch(`/${id}/`, { headers: { accept: "text/html" } });
    expect(await page.text()).toContain("New home");
    expect(page.headers.get("set-cookie")).toMatch(/^objects-caller=[0-9a-f-]{36}; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Lax$/);
    // A browser that has its name keeps it: no new cookie.
    const again = await api.fetch(`/${id}/`, { headers: { accept: "text/html", cookie: page.headers.get("set-cookie")!.split(";")[0]! } });
    expect(again.headers.get("set-cookie")).toBeNull();
    const counted = await countsOf(id, 2);
    expect(counted.series.every((point) => point.arm === "canary" && point.failed === 0)).toBe(true);
  });

  it("runs a listed schedule's ticks on the canary at its share, and counts them in the step", async () => {
    const id = unique("rollout");
    // A daily schedule: no real alarm fires while the test runs, so the one tick is the one the test fires.
    const tick = (v: number) => ({ schedules: { "every.day.at9am": `async () => $.db.Tick.create({ v: ${v} })` }, api: { ticks: "async () => (await $.db.Tick.list()).map((t) => t.v)" } });
    await api.put(id, { ...tick(1), $version: "1.0.0" }, token);
    await api.put(id, { ...tick(2), $version: "2.0.0", config: rollout([100], { methods: ["every.day.at9am"] }) }, token);
    const object = env.OBJECTS.get(env.OBJECTS.idFromName(`production:${id}`));
    await runInDurableObject(object, async (_, state) => void state.storage.sql.exec("UPDATE __schedules SET next_at = ?", Date.now() - 1000));
    expect(await runDurableObjectAlarm(object)).toBe(true);
    // At 100% every tick is the canary's; `ticks` (not listed) stays on the stable version and reads the same state.
    expect(await answer(await call(id, {}, [], "ticks"))).toEqual([2]);
    const counted = await status(id);
    expect(counted.series).toEqual([expect.objectContaining({ arm: "canary", step: 0, calls: 1, failed: 0 })]);
  });

  it("the rollout timer's alarm analyses a due step by itself", async () => {
    const id = unique("rollout");
    await start(id, rollout([50, 100], { interval: "10s" }));
    // The publish set the timer; running its alarm early finds the step not due and keeps it.
    expect(await runDurableObjectAlarm(timer(id))).toBe(true);
    expect((await status(id)).rollout).toMatchObject({ step: 0, status: "progressing" });
  });

  it("refuses a broken policy at publish, naming the field", async () => {
    const id = unique("rollout");
    await api.put(id, v1, token);
    for (const [policy, path] of [
      [{ interval: "5s" }, "/config/rollout/interval"],
      [{ steps: [50, 10] }, "/config/rollout/steps"],
      [{ methods: ["nope"] }, "/config/rollout/methods/0"],
      [{ maxErrorRate: 2 }, "/config/rollout/maxErrorRate"],
      [{ speed: "fast" }, "/config/rollout/speed"],
    ] as const) {
      const refused = await problem(await api.put(id, v2({ rollout: policy }), token), 422);
      expect(refused.errors?.map((error) => error.path)).toContain(path);
    }
    expect((await status(id)).rollout).toBeNull();
  });
});
