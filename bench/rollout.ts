// Rollouts on a real server: what an active rollout costs the call path (against the same calls with no rollout,
// alternating rounds), how evenly a 50% step splits anonymous calls, whether named callers stay on their side, how
// soon an abort takes every call back, and what the rollout timer's real alarms do with a failing and a healthy canary.
import type { RolloutStatusResponse } from "../schemas/index.ts";
import type { Server } from "../tests/support/server.ts";
import { load, type LoadResult } from "./load.ts";
import type { Row } from "./report.ts";

const HELLO = JSON.stringify({ method: "hello", params: [false] });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const version = (n: number, rollout?: object) => ({
  $version: `${n}.0.0`,
  // `fail` makes the new version throw, so the bench can inject errors into the canary alone.
  api: { hello: n === 1 ? "async () => 'Hello 1'" : `async (fail) => { if (fail) throw new Error('injected'); return 'Hello ${n}' }` },
  ...(rollout ? { config: { rollout } } : {}),
});

/** Runs of one case taken as one: their rates averaged, their failures summed. */
function combined(runs: LoadResult[]): LoadResult {
  const sum = (f: (run: LoadResult) => number) => runs.reduce((total, run) => total + f(run), 0);
  return { rps: sum((run) => run.rps) / runs.length, p50: median(runs.map((run) => run.p50)), p99: median(runs.map((run) => run.p99)), requests: sum((run) => run.requests), errors: sum((run) => run.errors), non2xx: sum((run) => run.non2xx) };
}

export async function rolloutBench(server: Server, token: string, { seconds, connections, rounds }: { seconds: number; connections: number; rounds: number }): Promise<Row[]> {
  const headers = { authorization: `Bearer ${token}` };
  const put = async (id: string, body: object) => {
    const response = await fetch(`${server.url}/${id}`, { method: "PUT", headers, body: JSON.stringify(body) });
    if (response.status >= 300) throw new Error(`PUT ${id}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { hash: string };
  };
  const call = async (id: string, callerHeaders: Record<string, string> = {}, fail = false) => {
    const response = await fetch(`${server.url}/${id}/rpc`, { method: "POST", headers: callerHeaders, body: JSON.stringify({ method: "hello", params: [fail] }) });
    await response.arrayBuffer();
    return { status: response.status, version: response.headers.get("objects-version") ?? "" };
  };
  const status = async (id: string) => (await (await fetch(`${server.url}/${id}/rollout`, { headers })).json()) as RolloutStatusResponse;

  // The cost: the same calls to an object whose latest moved plainly, and to one whose change is rolling out at 50%.
  await put("plain.do", version(1));
  await put("plain.do", version(2));
  await put("rolling.do", version(1));
  await put("rolling.do", version(2, { steps: [50, 100], interval: "24h" }));
  // At 1% nearly every call is the stable version's: the split's own cost, without a second isolate sharing the load.
  await put("trickle.do", version(1));
  await put("trickle.do", version(2, { steps: [1, 100], interval: "24h" }));
  const cases = { plain: `${server.url}/plain.do/rpc`, rolling: `${server.url}/rolling.do/rpc`, trickle: `${server.url}/trickle.do/rpc` };
  const names = Object.keys(cases) as Array<keyof typeof cases>;
  for (const name of names) await load({ url: cases[name], body: HELLO, seconds: 2, connections });
  const measured: Array<Record<keyof typeof cases, LoadResult>> = [];
  // This machine drifts by more than the effect measured: each round interleaves short runs of every case, and a
  // round's rate is the sum of its runs.
  const slices = Math.max(1, Math.round(seconds / 2.5));
  for (let round = 0; round < rounds; round++) {
    const runs = Object.fromEntries(names.map((name) => [name, [] as LoadResult[]])) as Record<keyof typeof cases, LoadResult[]>;
    for (let slice = 0; slice < slices; slice++) for (const name of names) runs[name].push(await load({ url: cases[name], body: HELLO, seconds: seconds / slices, connections }));
    measured.push(Object.fromEntries(names.map((name) => [name, combined(runs[name])])) as Record<keyof typeof cases, LoadResult>);
  }
  const ratios = (name: keyof typeof cases) => measured.map((round) => round[name].rps / round.plain.rps);
  const failures = measured.flatMap((round) => Object.values(round)).reduce((n, r) => n + r.errors + r.non2xx, 0);

  // The split of 1,000 anonymous calls at 50%, and 200 named callers calling 5 times each.
  await put("split.do", version(1));
  const v2 = await put("split.do", version(2, { steps: [50, 100], interval: "24h" }));
  let onCanary = 0;
  for (let batch = 0; batch < 10; batch++) {
    const answers = await Promise.all(Array.from({ length: 100 }, () => call("split.do")));
    onCanary += answers.filter((answer) => answer.version === v2.hash).length;
  }
  const sides = new Map<string, Set<string>>();
  for (let round = 0; round < 5; round++) {
    await Promise.all(Array.from({ length: 200 }, async (_, i) => {
      const caller = `user-${i}`;
      const answer = await call("split.do", { "objects-caller": caller });
      sides.set(caller, (sides.get(caller) ?? new Set()).add(answer.version));
    }));
  }
  const switched = [...sides.values()].filter((seen) => seen.size > 1).length;
  const stickyCanary = [...sides.values()].filter((seen) => seen.has(v2.hash)).length;

  // Abort under load: 8 callers keep calling; how long after the abort's answer a call still reached the canary.
  let running = true;
  let abortedAt = Number.POSITIVE_INFINITY;
  let lastCanaryAfter = 0;
  let callsAfter = 0;
  const loops = Array.from({ length: connections }, async () => {
    while (running) {
      const started = performance.now();
      const answer = await call("split.do");
      if (started > abortedAt) {
        callsAfter++;
        if (answer.version === v2.hash) lastCanaryAfter = Math.max(lastCanaryAfter, started - abortedAt);
      }
    }
  });
  await sleep(1000);
  await fetch(`${server.url}/split.do/rollout/abort`, { method: "POST", headers });
  abortedAt = performance.now();
  await sleep(2000);
  running = false;
  await Promise.all(loops);
  const afterAbort = (await status("split.do")).rollout?.status;
  if (afterAbort !== "aborted") throw new Error(`split.do's rollout is ${afterAbort} after its abort`);

  // Real alarms, 10 s steps: a canary failing 5% of its calls, and a healthy one.
  const timeline = async (id: string, failEvery: number) => {
    await put(id, version(1));
    await put(id, version(2, { steps: [10, 50, 100], interval: "10s", maxErrorRate: 0.01 }));
    const started = performance.now();
    let n = 0;
    for (;;) {
      const report = await status(id);
      const rollout = report.rollout!;
      if (rollout.status !== "progressing") return { rollout, seconds: (performance.now() - started) / 1000 };
      if (performance.now() - started > 120_000) throw new Error(`${id}: still ${rollout.status} at ${rollout.weight}% after two minutes`);
      await Promise.all(Array.from({ length: 20 }, () => call(id, {}, failEvery > 0 && n++ % failEvery === 0)));
      await sleep(50);
    }
  };
  const failing = await timeline("failing.do", 20);
  const analyses = failing.rollout.history.filter((event) => event.analysis);
  const healthy = await timeline("healthy.do", 0);

  const share = (onCanary / 1000) * 100;
  return [
    { case: "(rollout) no rollout: latest moved plainly (baseline)", value: `${median(measured.map((r) => r.plain.rps)).toFixed(0)} req/s`, ratio: "1.00×" },
    { case: "(rollout) the same calls while a rollout sends 1% to the canary", value: `${median(measured.map((r) => r.trickle.rps)).toFixed(0)} req/s`, ratio: `${median(ratios("trickle")).toFixed(3)}× (rounds: ${ratios("trickle").map((r) => r.toFixed(2)).join(", ")}; goal ≥ 0.97×)` },
    { case: "(rollout) the same calls while a rollout splits them 50/50", value: `${median(measured.map((r) => r.rolling.rps)).toFixed(0)} req/s`, ratio: `${median(ratios("rolling")).toFixed(3)}× (rounds: ${ratios("rolling").map((r) => r.toFixed(2)).join(", ")}; goal ≥ 0.97×)` },
    { case: "(rollout) failed requests in those runs", value: String(failures), ratio: "" },
    { case: "(rollout) 1,000 anonymous calls at a 50% step", value: `${onCanary} on the canary (${share.toFixed(1)}%)`, ratio: `${Math.abs(share - 50).toFixed(1)} points off (goal ≤ 5)` },
    { case: "(rollout) 200 named callers × 5 calls each", value: `${stickyCanary} on the canary, ${switched} switched sides`, ratio: "goal: 0 switched" },
    { case: `(rollout) abort under load (${connections} callers)`, value: `last canary answer ${lastCanaryAfter.toFixed(0)} ms after the abort answered; ${callsAfter} calls after it`, ratio: "goal ≤ 1000 ms" },
    { case: "(rollout) canary failing 5% of its calls, 10 s steps, real alarms", value: `${failing.rollout.status} after ${failing.seconds.toFixed(1)} s: ${failing.rollout.reason ?? ""}`, ratio: `analyses before it ended: ${analyses.length} (goal: aborted at the first)` },
    { case: "(rollout) a healthy canary, 10 s steps, real alarms", value: `${healthy.rollout.status} after ${healthy.seconds.toFixed(1)} s (${healthy.rollout.history.map((e) => `${e.action} ${e.weight}%`).join(" → ")})`, ratio: "" },
  ];
}
