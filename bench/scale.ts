// Scale: many objects and many versions published through the API, then resolve, list, publish latency and the
// runtime's memory. `BENCH_OBJECTS` (default 10,000) and `BENCH_VERSIONS` (default 100) size it.
import type { Server } from "../tests/support/server.ts";
import { percentile } from "./load.ts";
import { runtimeUsage } from "../scripts/runtime-usage.ts";
import type { Row } from "./report.ts";

const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 10_000);
const VERSIONS = Number(process.env.BENCH_VERSIONS ?? 100);
// How long the bench waits for idle loaded definitions to be released (the runtime's idle time plus a margin).
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 0);
const CONCURRENCY = 8;
const MEMORY_CHECKPOINT = 2_000;
const LOADED = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (n: number) => `${n.toFixed(1)} ms`;
const p50 = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
const idOf = (i: number) => `o${String(i).padStart(5, "0")}.scale.do`;
const definitionOf = (i: number, version = 0) => ({ api: { hello: `async (name) => \`Hello \${name} from ${i}.${version}\`` } });

async function timedFetch(url: string, init: RequestInit, expect: (status: number) => boolean): Promise<number> {
  const start = performance.now();
  const response = await fetch(url, init);
  const text = await response.text();
  if (!expect(response.status)) throw new Error(`${init.method ?? "GET"} ${url}: ${response.status} ${text.slice(0, 300)}`);
  return performance.now() - start;
}

/** Runs `count` jobs, `CONCURRENCY` at a time, each told its index; returns each job's value by index. */
async function pool<T>(count: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) {
      const i = next++;
      out[i] = await job(i);
    }
  }));
  return out;
}

export async function scaleBench(server: Server, token: string): Promise<Row[]> {
  const pid = server.process.pid!;
  const rss = () => runtimeUsage(pid).rssMb;
  const auth = { authorization: `Bearer ${token}` };
  const publish = (i: number, version?: number) =>
    timedFetch(`${server.url}/${idOf(i)}${version === undefined ? "" : `?version=1.0.${version}`}`, { method: "PUT", headers: auth, body: JSON.stringify(definitionOf(i, version ?? 0)) }, (s) => s < 300);
  const rssAtStart = rss();
  const checkpoint = Math.min(MEMORY_CHECKPOINT, OBJECTS);
  const early = await pool(checkpoint, publish);
  await sleep(2000);
  const rssAtCheckpoint = rss();
  const later = await pool(OBJECTS - checkpoint, (i) => publish(i + checkpoint));
  const publishTimes = [...early, ...later];
  const window = Math.min(500, Math.floor(OBJECTS / 4));
  const firstPublishes = p50(publishTimes.slice(0, window));
  const lastPublishes = p50(publishTimes.slice(-window));
  // Versions of the first and the last object.
  const first = 0;
  const last = OBJECTS - 1;
  for (let v = 1; v <= VERSIONS; v++) {
    await publish(first, v);
    await publish(last, v);
  }
  const resolve = (i: number, ref: string) => timedFetch(`${server.url}/${idOf(i)}@${ref}`, { headers: { ...auth, accept: "application/json" } }, (s) => s === 200);
  const resolveTimes = async (i: number, ref: string) => {
    const times: number[] = [];
    for (let n = 0; n < 50; n++) times.push(await resolve(i, ref));
    return p50(times);
  };
  const resolved = {
    firstOld: await resolveTimes(first, "1.0.1"),
    lastNew: await resolveTimes(last, `1.0.${VERSIONS}`),
    firstLatest: await resolveTimes(first, "latest"),
    lastLatest: await resolveTimes(last, "latest"),
  };
  const listing: number[] = [];
  for (let n = 0; n < 20; n++) {
    const after = idOf(Math.floor((n / 20) * OBJECTS));
    listing.push(await timedFetch(`${server.url}/_/objects?limit=100&after=${after}`, { headers: auth }, (s) => s === 200));
  }
  // Memory per loaded definition: call objects nobody called yet, one each.
  const rssBeforeCalls = rss();
  await pool(LOADED, (i) => timedFetch(`${server.url}/${idOf(1 + i)}/rpc`, { method: "POST", body: JSON.stringify({ method: "hello", params: ["x"] }) }, (s) => s === 200));
  await sleep(2000);
  const rssAfterCalls = rss();
  // The same count of trivial workers, loaded straight through the Worker Loader: workerd's floor per isolate.
  await timedFetch(`${server.url}/__bench/floor?from=0&count=${LOADED}`, {}, (s) => s === 200);
  await sleep(2000);
  const rssAfterFloor = rss();
  const rows: Row[] = [
    { case: `(scale) publish p50, first ${window} vs last ${window} of ${OBJECTS} objects`, value: `${ms(firstPublishes)} → ${ms(lastPublishes)}`, ratio: `${(lastPublishes / firstPublishes).toFixed(2)}× (goal: flat)` },
    { case: `(scale) resolve p50: first object @1.0.1 vs last object @1.0.${VERSIONS}`, value: `${ms(resolved.firstOld)} → ${ms(resolved.lastNew)}`, ratio: `${(resolved.lastNew / resolved.firstOld).toFixed(2)}× (goal ≤ 1.2×)` },
    { case: "(scale) resolve p50: first vs last object @latest", value: `${ms(resolved.firstLatest)} → ${ms(resolved.lastLatest)}`, ratio: `${(resolved.lastLatest / resolved.firstLatest).toFixed(2)}×` },
    { case: "(scale) a listing page (100 ids, GET /_/objects?after=…)", value: `p50 ${ms(p50(listing))}, max ${ms(Math.max(...listing))}`, ratio: "goal ≤ 10 ms" },
    { case: `(scale) runtime RSS: at start → after ${checkpoint} publishes, no call`, value: `${rssAtStart.toFixed(0)} → ${rssAtCheckpoint.toFixed(0)} MB`, ratio: "goal ≤ 300 MB" },
    { case: `(scale) runtime RSS after all ${OBJECTS + 2 * VERSIONS} publishes`, value: `${rssBeforeCalls.toFixed(0)} MB`, ratio: "" },
    { case: `(scale) memory per loaded definition (${LOADED} objects called once)`, value: `${((rssAfterCalls - rssBeforeCalls) / LOADED).toFixed(2)} MiB`, ratio: "goal ≤ 1 MiB" },
    { case: `(scale) workerd's floor: a trivial worker loaded through the Worker Loader (${LOADED}, called once)`, value: `${((rssAfterFloor - rssAfterCalls) / LOADED).toFixed(2)} MiB`, ratio: "what any loaded definition costs here" },
  ];
  if (IDLE_SECONDS > 0) {
    await sleep(IDLE_SECONDS * 1000);
    const rssIdle = rss();
    rows.push({ case: `(scale) runtime RSS after ${IDLE_SECONDS} s idle`, value: `${rssAfterCalls.toFixed(0)} → ${rssIdle.toFixed(0)} MB`, ratio: "" });
  }
  return rows;
}
