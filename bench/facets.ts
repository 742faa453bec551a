// What running each definition as a facet costs: resident memory per object whose state lives in a facet, the first
// call of a never-seen version that names `$.db` (its facet starts, or takes the new class), and the time a preview's
// fork takes for 1 MB and for ~100 MB of production state (a clone: it should not grow with the state).
import { performance } from "node:perf_hooks";
import { runtimeUsage } from "../scripts/runtime-usage.ts";
import { workingCopy } from "../tests/support/git.ts";
import type { Server } from "../tests/support/server.ts";
import { percentile } from "./load.ts";
import type { Row } from "./report.ts";

const OBJECTS = Number(process.env.BENCH_FACET_OBJECTS ?? 200);
const VERSIONS = 50;
const FORK_ROUNDS = Number(process.env.BENCH_FORK_ROUNDS ?? 5);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function put(server: Server, auth: string, id: string, definition: unknown): Promise<void> {
  const response = await fetch(`${server.url}/${id}`, { method: "PUT", headers: { authorization: `Bearer ${auth}` }, body: JSON.stringify(definition) });
  if (response.status >= 300) throw new Error(`PUT ${id}: ${response.status} ${await response.text()}`);
}

async function call(server: Server, path: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(`${server.url}/${path}/rpc`, { method: "POST", body: JSON.stringify({ method, params }) });
  const body = (await response.json()) as { result?: unknown };
  if (!response.ok) throw new Error(`${path} ${method}: ${response.status} ${JSON.stringify(body)}`);
  return body.result;
}

const reader = (tag: string) => ({ api: { read: `async () => ((await $.db.Counter.get('n')) ?? { tag: ${JSON.stringify(tag)} }).tag` } });

/** Memory per object with a facet, and the first call of new versions (a new object each, and a new class of one). */
async function facetCosts(server: Server, auth: string): Promise<Row[]> {
  const pid = server.process.pid!;
  for (let i = 0; i < OBJECTS; i++) await put(server, auth, `mem-${i}.facets.do`, reader(`m${i}`));
  await sleep(2000);
  const before = runtimeUsage(pid).rssMb;
  const firstObject: number[] = [];
  for (let i = 0; i < OBJECTS; i++) {
    const started = performance.now();
    await call(server, `mem-${i}.facets.do`, "read");
    firstObject.push(performance.now() - started);
  }
  await sleep(2000);
  const after = runtimeUsage(pid).rssMb;
  // The same first call of a method that names no `$` (its sandbox, straight from the Worker): what a facet adds.
  const firstPlain: number[] = [];
  for (let i = 0; i < 50; i++) {
    await put(server, auth, `plain-${i}.facets.do`, { api: { read: `async () => "p${i}"` } });
    const started = performance.now();
    await call(server, `plain-${i}.facets.do`, "read");
    firstPlain.push(performance.now() - started);
  }
  const newClass: number[] = [];
  for (let v = 0; v < VERSIONS; v++) {
    await put(server, auth, "classes.facets.do", reader(`v${v}`));
    const started = performance.now();
    await call(server, "classes.facets.do", "read");
    newClass.push(performance.now() - started);
  }
  const cached: number[] = [];
  for (let n = 0; n < 50; n++) {
    const started = performance.now();
    await call(server, "classes.facets.do", "read");
    cached.push(performance.now() - started);
  }
  for (const list of [firstObject, firstPlain, newClass, cached]) list.sort((a, b) => a - b);
  const spread = (sorted: number[]) => `p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}`;
  return [
    { case: `(facets) memory per object whose \`$.db\` call started its facet (${OBJECTS} objects)`, value: `${((after - before) / OBJECTS).toFixed(2)} MiB`, ratio: "goal ≤ 2 MiB" },
    { case: "(facets) a `$.db` read of a loaded version (baseline)", value: spread(cached), ratio: "1.00×" },
    { case: "(facets) first call of a new object's method naming no `$` (no facet: its sandbox from the Worker)", value: spread(firstPlain), ratio: "" },
    { case: "(facets) first `$.db` call of a new object (its version loaded, its facet started)", value: spread(firstObject), ratio: "goal ≤ 30 ms p50" },
    { case: "(facets) first `$.db` call after a PUT of a new version (the facet takes the new class)", value: spread(newClass), ratio: "goal ≤ 30 ms p50" },
  ];
}

/** A preview's fork of production's state, through the git remote: 1 MB against ~100 MB (the remote: line's figure). */
async function forkTimes(server: Server, auth: string): Promise<Row[]> {
  const definition = (label: string) =>
    JSON.stringify({
      api: {
        label: `async () => ${JSON.stringify(label)}`,
        // Documents of 100 kB, `count` of them per call.
        fill: "async (count) => { for (let i = 0; i < count; i++) await $.db.Blob.create({ data: 'x'.repeat(100000) }); }",
      },
      config: { preview: { state: "fork", maxBytes: 300 * 1024 ** 2, protect: false }, limits: { storageBytes: 400 * 1024 ** 2 } },
    });
  const rows: Row[] = [];
  const results: Record<string, number[]> = {};
  for (const [name, megabytes] of [["small", 1], ["large", 100]] as const) {
    const repo = await workingCopy({ remote: `${server.url}/_/git/forks-${name}.git`, token: auth });
    try {
      await repo.commit("production", { [`${name}.forks.do.json`]: definition("production") });
      if ((await repo.git("push", "objects", "main")).code !== 0) throw new Error("the first push failed");
      for (let filled = 0; filled < megabytes * 10; filled += 100) await call(server, `${name}.forks.do`, "fill", [Math.min(100, megabytes * 10 - filled)]);
      const took: number[] = [];
      for (let round = 0; round < FORK_ROUNDS; round++) {
        await repo.commit(`round ${round}`, { [`${name}.forks.do.json`]: definition(`round ${round}`) });
        const push = await repo.git("push", "objects", `HEAD:refs/for/main/${name}-${round}`);
        const line = /state forked from production: ([\d.]+) (KiB|MiB) in (\d+) ms/.exec(push.stderr);
        if (!line) throw new Error(`no fork line: ${push.stderr}`);
        took.push(Number(line[3]));
        results[`${name}:size`] = [Number(line[1]) / (line[2] === "KiB" ? 1024 : 1)];
      }
      results[name] = took.sort((a, b) => a - b);
    } finally {
      repo.remove();
    }
  }
  const small = percentile(results.small!, 50);
  const large = percentile(results.large!, 50);
  rows.push({ case: `(facets) fork of ${results["small:size"]![0]!.toFixed(1)} MiB of production state (${FORK_ROUNDS} previews)`, value: `p50 ${small.toFixed(0)} ms`, ratio: "1.00×" });
  rows.push({ case: `(facets) fork of ${results["large:size"]![0]!.toFixed(1)} MiB of production state`, value: `p50 ${large.toFixed(0)} ms`, ratio: `${(large / Math.max(1, small)).toFixed(2)}× (goal ≤ 2×)` });
  return rows;
}

export async function facetBench(server: Server, auth: string): Promise<Row[]> {
  return [...(await facetCosts(server, auth)), ...(await forkTimes(server, auth))];
}
