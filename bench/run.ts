// `npm run bench`: the dispatch path measured against a baseline taken in the same run, on the same local server.
// Flags: --seconds N (per load run, default 10), --rounds N (default 5), --soak N (default 60), --connections N
// (default 8), --write.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SignJWT } from "jose";
import { startServer, type Server } from "../tests/support/server.ts";
import { load, percentile, timed, type LoadResult } from "./load.ts";
import { writeReport, type Row } from "./report.ts";
import { contextBench } from "./context.ts";
import { siteBench } from "./site.ts";
import { gitBench, gitHistoryBench } from "./git.ts";
import { githubBench } from "./github.ts";
import { openSockets } from "./sockets.ts";
import { supervisorBench } from "./supervisor.ts";
import { scaleBench } from "./scale.ts";
import { previewBench } from "./previews.ts";
import { rolloutBench } from "./rollout.ts";
import { facetBench } from "./facets.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    // This machine drifts by ±10% within a minute: the median of more alternating rounds is steadier.
    rounds: { type: "string", default: "5" },
    soak: { type: "string", default: "60" },
    connections: { type: "string", default: "8" },
    server: { type: "string", default: "start" },
    // `--serve-flags=--unsupervised`: npm start without its supervisor (what its in-flight notes cost).
    "serve-flags": { type: "string", default: "" },
    // One bench or several, comma-separated: dispatch, git, github, context, site, scale, previews, facets, rollout, supervisor.
    only: { type: "string", default: "all" },
    write: { type: "boolean", default: false },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const SECRET = "bench-secret";
const HELLO = JSON.stringify({ method: "hello", params: ["World"] });

async function token(): Promise<string> {
  return new SignJWT({ scope: "*" }).setProtectedHeader({ alg: "HS256" }).setIssuer("objects.do").setAudience("objects.do").setIssuedAt().setExpirationTime("2h").sign(new TextEncoder().encode(SECRET));
}

async function put(server: Server, auth: string, id: string, definition: unknown): Promise<void> {
  const response = await fetch(`${server.url}/${id}`, { method: "PUT", headers: { authorization: `Bearer ${auth}` }, body: JSON.stringify(definition) });
  if (response.status >= 300) throw new Error(`PUT ${id}: ${response.status} ${await response.text()}`);
}

async function call(server: Server, path: string, expected: string): Promise<void> {
  const response = await fetch(`${server.url}/${path}/rpc`, { method: "POST", body: HELLO });
  const text = await response.text();
  if (!text.includes(expected)) throw new Error(`${path}: ${response.status} ${text}`);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * (a) The same method as a definition and as a static Durable Object; a method naming a capability of `$` (it runs in
 * the ObjectDO, one hop more) and one reading only `$.$id` (it does not); one `$.db` read and write against a static
 * Durable Object doing the same SQLite work. Runs alternate in rounds; each ratio is taken within a round (this
 * machine drifts), and the median round is reported.
 */
async function dispatch(server: Server): Promise<Row[]> {
  const rpc = (method: string, params: unknown[] = []) => JSON.stringify({ method, params });
  const minimal = await serveMinimal();
  try {
    return await dispatchAgainst(server, minimal, rpc);
  } finally {
    await minimal.stop();
  }
}

/** What a user would write instead: a minimal Worker + Durable Object (bench/minimal/) in a process of its own. */
async function serveMinimal(): Promise<Server> {
  const state = mkdtempSync(join(tmpdir(), "objects-bench-minimal-"));
  const started = await startServer({ persistTo: state, command: (port) => ["npx", "tsx", "scripts/serve.ts", "-c", "bench/minimal/wrangler.jsonc", "--port", String(port), "--persist-to", state, "--unsupervised"] });
  return { ...started, stop: async () => { await started.stop(); rmSync(state, { recursive: true, force: true }); } };
}

async function dispatchAgainst(server: Server, minimal: Server, rpc: (method: string, params?: unknown[]) => string): Promise<Row[]> {
  const cases = {
    // The user's baseline: the same contract and SQLite work in a minimal Worker + DO of its own.
    minimalHello: { url: `${minimal.url}/bench/rpc`, body: HELLO },
    minimalRead: { url: `${minimal.url}/bench/rpc`, body: rpc("read") },
    minimalWrite: { url: `${minimal.url}/bench/rpc`, body: rpc("write", [1]) },
    baseline: { url: `${server.url}/__bench/static/rpc`, body: HELLO },
    definition: { url: `${server.url}/bench.do/rpc`, body: HELLO },
    stateful: { url: `${server.url}/bench.do/rpc`, body: rpc("helloFromObject", ["World"]) },
    dataOnly: { url: `${server.url}/bench.do/rpc`, body: rpc("helloFromSelf", ["World"]) },
    staticRead: { url: `${server.url}/__bench/static/rpc`, body: rpc("read") },
    dbRead: { url: `${server.url}/bench.do/rpc`, body: rpc("readOne") },
    staticWrite: { url: `${server.url}/__bench/static/rpc`, body: rpc("write", [1]) },
    dbWrite: { url: `${server.url}/bench.do/rpc`, body: rpc("writeOne", [1]) },
    // The engine's floor: a bare Worker Loader sandbox reached the same ways, with nothing of objects.do in between.
    floorHello: { url: `${server.url}/__bench/floor/rpc`, body: HELLO },
    engineHello: { url: `${server.url}/__bench/engine/rpc`, body: HELLO },
    floorInObject: { url: `${server.url}/__bench/floor/rpc`, body: rpc("inObject", ["World"]) },
    // With facets a call with `$` runs Worker → DO → the definition's facet: that bare, with the same SQLite work.
    facetRead: { url: `${server.url}/__bench/facet/rpc`, body: rpc("read") },
    facetWrite: { url: `${server.url}/__bench/facet/rpc`, body: rpc("write", [1]) },
  };
  // Both sides hold the document before they are measured.
  for (const seed of [cases.staticWrite, cases.facetWrite, cases.minimalWrite, { url: cases.dbWrite.url, body: rpc("seedCounter") }]) {
    const seeded = await fetch(seed.url, { method: "POST", body: seed.body });
    if (!seeded.ok) throw new Error(`seeding ${seed.url}: ${seeded.status} ${await seeded.text()}`);
  }
  const names = Object.keys(cases) as Array<keyof typeof cases>;
  for (const name of names) await load({ ...cases[name], seconds: 2, connections });
  const rounds: Array<Record<keyof typeof cases, LoadResult>> = [];
  for (let round = 0; round < Number(values.rounds); round++) {
    const results = {} as Record<keyof typeof cases, LoadResult>;
    for (const name of names) results[name] = await load({ ...cases[name], seconds, connections });
    rounds.push(results);
  }
  const failures = rounds.flatMap((round) => Object.values(round)).reduce((n, r) => n + r.errors + r.non2xx, 0);
  const ratio = (name: keyof typeof cases, base: keyof typeof cases = "baseline") => median(rounds.map((round) => round[name].rps / round[base].rps));
  const line = (name: keyof typeof cases) => {
    const pick = (f: (r: LoadResult) => number) => median(rounds.map((round) => f(round[name])));
    return `${pick((r) => r.rps).toFixed(0)} req/s, p50 ${pick((r) => r.p50)} ms, p99 ${pick((r) => r.p99)} ms`;
  };
  const perRound = (name: keyof typeof cases, base: keyof typeof cases = "baseline") => rounds.map((round) => (round[name].rps / round[base].rps).toFixed(2)).join(", ");
  return [
    { case: "(a) minimal Worker + Durable Object in its own process: the method (what a user writes instead)", value: line("minimalHello"), ratio: "1.00×" },
    { case: "(a) the same method in a definition, against it", value: line("definition"), ratio: `${ratio("definition", "minimalHello").toFixed(2)}× (rounds: ${perRound("definition", "minimalHello")}; goal ≥ 0.85×)` },
    { case: "(a) minimal Worker + Durable Object: one SQLite document read", value: line("minimalRead"), ratio: "1.00×" },
    { case: "(a) one `$.db` read, against it", value: line("dbRead"), ratio: `${ratio("dbRead", "minimalRead").toFixed(2)}× (rounds: ${perRound("dbRead", "minimalRead")}; goal ≥ 0.80×)` },
    { case: "(a) minimal Worker + Durable Object: one document update", value: line("minimalWrite"), ratio: "1.00×" },
    { case: "(a) one `$.db` write, against it", value: line("dbWrite"), ratio: `${ratio("dbWrite", "minimalWrite").toFixed(2)}× (rounds: ${perRound("dbWrite", "minimalWrite")}; goal ≥ 0.75×)` },
    { case: "(a) static Durable Object method inside objects.do's Worker (the engine's floor, baseline below)", value: line("baseline"), ratio: `1.00×; ${ratio("baseline", "minimalHello").toFixed(2)}× of the minimal one` },
    { case: "(a) the same method in a definition", value: line("definition"), ratio: `${ratio("definition").toFixed(2)}× (rounds: ${perRound("definition")}; goal ≥ 0.95×)` },
    { case: "(a) a method that names an outside capability of `$` without calling it (Worker → ObjectDO → facet, with its host)", value: line("stateful"), ratio: `${ratio("stateful").toFixed(2)}× (rounds: ${perRound("stateful")})` },
    { case: "(a) a method reading only `$.$id` (Worker → sandbox)", value: line("dataOnly"), ratio: `${ratio("dataOnly").toFixed(2)}× (rounds: ${perRound("dataOnly")})` },
    { case: "(a) static Durable Object: one SQLite document read (baseline)", value: line("staticRead"), ratio: "1.00×" },
    { case: "(a) one `$.db` read (`$.db.Counter.get`)", value: line("dbRead"), ratio: `${ratio("dbRead", "staticRead").toFixed(2)}× (rounds: ${perRound("dbRead", "staticRead")}; goal ≥ 0.85×)` },
    { case: "(a) static Durable Object: one document update (baseline)", value: line("staticWrite"), ratio: "1.00×" },
    { case: "(a) one `$.db` write (`$.db.Counter.update`)", value: line("dbWrite"), ratio: `${ratio("dbWrite", "staticWrite").toFixed(2)}× (rounds: ${perRound("dbWrite", "staticWrite")}; goal ≥ 0.85×)` },
    { case: "(a) floor: a bare sandbox from the Worker (Worker → Worker Loader isolate)", value: line("floorHello"), ratio: `${ratio("floorHello").toFixed(2)}× (rounds: ${perRound("floorHello")}); the definition method ${ratio("definition", "floorHello").toFixed(2)}× of it` },
    { case: "(a) the definition's own modules from the Worker, none of objects.do's routing (Worker → sandbox)", value: line("engineHello"), ratio: `${ratio("engineHello", "floorHello").toFixed(2)}× of the bare sandbox (rounds: ${perRound("engineHello", "floorHello")}); the definition method ${ratio("definition", "engineHello").toFixed(2)}× of it` },
    { case: "(a) floor: a bare sandbox from a Durable Object (Worker → DO → sandbox)", value: line("floorInObject"), ratio: `${ratio("floorInObject").toFixed(2)}× (rounds: ${perRound("floorInObject")}); the method naming \`$\` ${ratio("stateful", "floorInObject").toFixed(2)}× of it` },
    { case: "(a) floor: one read in a bare facet (Worker → DO → facet)", value: line("facetRead"), ratio: `${ratio("facetRead", "minimalRead").toFixed(2)}× of the minimal one (rounds: ${perRound("facetRead", "minimalRead")}); the \`$.db\` read ${ratio("dbRead", "facetRead").toFixed(2)}× of it` },
    { case: "(a) floor: one update in a bare facet (Worker → DO → facet)", value: line("facetWrite"), ratio: `${ratio("facetWrite", "minimalWrite").toFixed(2)}× of the minimal one (rounds: ${perRound("facetWrite", "minimalWrite")}); the \`$.db\` write ${ratio("dbWrite", "facetWrite").toFixed(2)}× of it` },
    { case: "(a) failed requests in those runs", value: String(failures), ratio: "" },
  ];
}

/** (b) First call of 50 never-seen versions of one object against calls of a loaded version; (c) PUT → answering. */
async function firstCalls(server: Server, auth: string): Promise<Row[]> {
  const cached = await timed(50, () => call(server, "bench.do", "Hello World!"));
  const first: number[] = [];
  const publishToAnswer: number[] = [];
  for (let i = 0; i < 50; i++) {
    // Each version differs in content, so each has a new hash and a new loader id.
    const expected = `Hello World! #${i}`;
    const start = performance.now();
    await put(server, auth, "versions.do", { api: { hello: `async (name) => \`Hello \${name}! #${i}\`` } });
    const published = performance.now();
    await call(server, "versions.do", expected);
    first.push(performance.now() - published);
    publishToAnswer.push(performance.now() - start);
  }
  first.sort((a, b) => a - b);
  publishToAnswer.sort((a, b) => a - b);
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const spread = (sorted: number[]) => `p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}`;
  return [
    { case: "(b) call of an already loaded version", value: spread(cached), ratio: "1.00×" },
    { case: "(b) first call of a never-seen version", value: spread(first), ratio: `${(percentile(first, 50) / percentile(cached, 50)).toFixed(1)}× (goal ≤ 8 ms p50)` },
    { case: "(c) PUT → the new version answering", value: spread(publishToAnswer), ratio: `${(percentile(publishToAnswer, 50) / percentile(cached, 50)).toFixed(1)}×` },
  ];
}

/** (d) Full load for the soak period: every request must succeed and open sockets must not grow. */
async function soak(server: Server): Promise<Row[]> {
  const soakSeconds = Number(values.soak);
  const before = openSockets(server.process.pid!);
  const result = await load({ url: `${server.url}/bench.do/rpc`, body: HELLO, seconds: soakSeconds, connections });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const after = openSockets(server.process.pid!);
  return [
    { case: `(d) ${soakSeconds} s soak at ${connections} connections`, value: `${result.requests} requests, ${result.errors} errors, ${result.non2xx} non-2xx, ${result.rps.toFixed(0)} req/s`, ratio: "" },
    { case: "(d) open sockets of the server, before → after", value: `${before} → ${after}`, ratio: after > before + connections ? "GROWING" : "flat" },
  ];
}

// `start`: what `npm start` runs (Miniflare, workerd serving the port itself); `wrangler`: `wrangler dev`.
const SERVERS: Record<string, { label: string; command: (port: number, state: string) => string[] }> = {
  start: { label: "npm start (Miniflare: workerd on the port)", command: (port, state) => ["npx", "tsx", "scripts/serve.ts", "-c", "bench/wrangler.jsonc", "--port", String(port), "--persist-to", state, "--var", `JWT_SECRET:${SECRET}`, "--var", "ALLOW_PRIVATE_URLS:true", ...values["serve-flags"].split(" ").filter(Boolean)] },
  wrangler: { label: "wrangler dev (proxy in front of workerd)", command: (port, state) => ["npx", "wrangler", "dev", "-c", "bench/wrangler.jsonc", "--port", String(port), "--ip", "127.0.0.1", "--log-level", "warn", "--persist-to", state, "--var", `JWT_SECRET:${SECRET}`, "--var", "ALLOW_PRIVATE_URLS:true"] },
};
const chosen = SERVERS[values.server];
if (!chosen) throw new Error(`--server is one of ${Object.keys(SERVERS).join(", ")}`);
/** A server of the chosen kind on a state directory of its own; `stop` also deletes the state. */
async function serve(): Promise<Server> {
  const state = mkdtempSync(join(tmpdir(), "objects-bench-"));
  const started = await startServer({ persistTo: state, command: (port) => chosen!.command(port, state) });
  return {
    ...started,
    stop: async () => {
      await started.stop();
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/** Runs a bench on a fresh server of its own (what it measures includes the server's memory from its start). */
async function onFreshServer(bench: (server: Server, auth: string) => Promise<Row[]>, auth: string): Promise<Row[]> {
  const own = await serve();
  try {
    return await bench(own, auth);
  } finally {
    await own.stop();
  }
}

const server = await serve();
try {
  const auth = await token();
  await put(server, auth, "bench.do", {
    api: {
      hello: "async (name) => `Hello ${name}!`",
      helloFromObject: "async (name) => `Hello ${name}! ${typeof $.slack}`",
      helloFromSelf: "async (name) => `Hello ${name}! from ${$.$id}`",
      seedCounter: "async () => (await $.db.Counter.get('n')) ?? $.db.Counter.create({ id: 'n', count: 0 })",
      readOne: "async () => (await $.db.Counter.get('n')) ?? null",
      writeOne: "async (count) => $.db.Counter.update('n', { count })",
    },
  });
  await call(server, "bench.do", "Hello World!");
  const only = new Set(values.only.split(","));
  // Each bench is its own section of BENCHMARKS.md, whichever others ran with it.
  const benches: Array<[string, () => Promise<Row[]>]> = [
    ["dispatch", async () => [...(await dispatch(server)), ...(await firstCalls(server, auth)), ...(await soak(server))]],
    ["git", async () => [...(await gitBench(server, auth)), ...(await gitHistoryBench(server, auth))]],
    ["github", () => githubBench(server, auth)],
    ["context", () => contextBench(server, auth, { seconds, connections, rounds: Number(values.rounds) })],
    ["site", () => siteBench(server, auth, { seconds, connections })],
    ["scale", () => onFreshServer(scaleBench, auth)],
    ["previews", () => previewBench(server, auth)],
    ["facets", () => onFreshServer(facetBench, auth)],
    ["rollout", () => rolloutBench(server, auth, { seconds, connections, rounds: Number(values.rounds) })],
    // Last: it restarts the server under test.
    ...(values.server === "start" ? [["supervisor", () => supervisorBench(server, auth)] as [string, () => Promise<Row[]>]] : []),
  ];
  for (const [name, bench] of benches) {
    if (!only.has("all") && !only.has(name)) continue;
    writeReport(await bench(), { write: values.write, command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(), server: chosen.label, section: `${name}:${values.server}`, connections, seconds });
  }
} catch (error) {
  console.error(`the benchmark failed; the server's last output:\n${server.output().slice(-4000)}`);
  throw error;
} finally {
  await server.stop();
}
