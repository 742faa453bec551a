// `npm run bench:ab -- --against <commit>`: this working tree against another commit in one run; with
// `--against-flags=--unsupervised` (and no commit) this tree against itself served with other `npm start` flags.
// Both are served by `npm start`'s server side by side; rounds alternate between them, and each ratio is taken against
// that server's own static Durable Object in the same round, so machine drift cancels out.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SignJWT } from "jose";
import { startServer, type Server } from "../tests/support/server.ts";
import { load, type LoadResult } from "./load.ts";

const { values } = parseArgs({ options: { against: { type: "string" }, "against-flags": { type: "string", default: "" }, seconds: { type: "string", default: "8" }, rounds: { type: "string", default: "5" }, connections: { type: "string", default: "8" } } });
if (!values.against && !values["against-flags"]) throw new Error('usage: npm run bench:ab -- --against <commit> [--against-flags="<npm start flags>"]');
const root = new URL("..", import.meta.url).pathname;
const SECRET = "bench-secret";
const HELLO = JSON.stringify({ method: "hello", params: ["World"] });
const STATEFUL = JSON.stringify({ method: "helloFromObject", params: ["World"] });
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;

async function serve(cwd: string, flags: string[] = []): Promise<Server & { state: string }> {
  const state = mkdtempSync(join(tmpdir(), "objects-ab-state-"));
  const server = await startServer({ cwd, persistTo: state, command: (port) => ["npx", "tsx", "scripts/serve.ts", "-c", "bench/wrangler.jsonc", "--port", String(port), "--persist-to", state, "--var", `JWT_SECRET:${SECRET}`, ...flags] });
  const token = await new SignJWT({ scope: "*" }).setProtectedHeader({ alg: "HS256" }).setIssuer("objects.do").setAudience("objects.do").setIssuedAt().setExpirationTime("1h").sign(new TextEncoder().encode(SECRET));
  // The context bench's shapes too: an emit with one local handler, and one bubbling to a parent's handler.
  const definitions = {
    "bench.do": {
      api: {
        hello: "async (name) => `Hello ${name}!`",
        helloFromObject: "async (name) => `Hello ${name}! ${typeof $.emit}`",
        emitEvent: "async () => { await $.emit('Bench.ping', {}); return 1 }",
        readOne: "async () => (await $.db.Counter.get('n')) ?? null",
        writeOne: "async (count) => (await $.db.Counter.update('n', { count })) ?? $.db.Counter.create({ id: 'n', count })",
      },
      events: { "Bench.ping": "async () => 1" },
    },
    "ab-parent.do": { events: { "Bench.*": "async () => 1" } },
    "ab-child.do": { $context: "ab-parent.do", api: { bubble: "async () => { await $.emit('Bench.up', {}); return 1 }" } },
  };
  for (const [id, definition] of Object.entries(definitions)) {
    const put = await fetch(`${server.url}/${id}`, { method: "PUT", headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(definition) });
    if (put.status >= 300) throw new Error(`PUT ${id}: ${put.status} ${await put.text()}`);
  }
  // Both sides of the storage cases hold the document before they are measured.
  for (const [path, method] of [["__bench/static", "write"], ["bench.do", "writeOne"]]) {
    const seeded = await fetch(`${server.url}/${path}/rpc`, { method: "POST", body: JSON.stringify({ method, params: [0] }) });
    if (!seeded.ok) throw new Error(`seeding ${path}: ${seeded.status} ${await seeded.text()}`);
  }
  return { ...server, state };
}

const tree = values.against ? mkdtempSync(join(tmpdir(), "objects-ab-tree-")) : root;
if (values.against) {
  execFileSync("git", ["-C", root, "worktree", "add", "--detach", "--force", tree, values.against], { stdio: "ignore" });
  if (!existsSync(join(tree, "node_modules"))) symlinkSync(join(root, "node_modules"), join(tree, "node_modules"));
}
const againstName = `${values.against ?? "this tree"}${values["against-flags"] ? ` ${values["against-flags"]}` : ""}`;
const servers = { current: await serve(root), against: await serve(tree, values["against-flags"].split(" ").filter(Boolean)) };
try {
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const rpc = (method: string) => JSON.stringify({ method, params: [] });
  const cases = (server: Server) => ({
    baseline: { url: `${server.url}/__bench/static/rpc`, body: HELLO },
    definition: { url: `${server.url}/bench.do/rpc`, body: HELLO },
    stateful: { url: `${server.url}/bench.do/rpc`, body: STATEFUL },
    emit: { url: `${server.url}/bench.do/rpc`, body: rpc("emitEvent") },
    bubble: { url: `${server.url}/ab-child.do/rpc`, body: rpc("bubble") },
    staticRead: { url: `${server.url}/__bench/static/rpc`, body: rpc("read") },
    dbRead: { url: `${server.url}/bench.do/rpc`, body: rpc("readOne") },
    staticWrite: { url: `${server.url}/__bench/static/rpc`, body: JSON.stringify({ method: "write", params: [1] }) },
    dbWrite: { url: `${server.url}/bench.do/rpc`, body: JSON.stringify({ method: "writeOne", params: [1] }) },
  });
  type Case = keyof ReturnType<typeof cases>;
  for (const server of Object.values(servers)) for (const c of Object.values(cases(server))) await load({ ...c, seconds: 2, connections });
  const rounds: Array<Record<"current" | "against", Record<Case, LoadResult>>> = [];
  for (let round = 0; round < Number(values.rounds); round++) {
    const results = {} as (typeof rounds)[number];
    // Alternate which server goes first, so neither always runs on a warmer or cooler machine.
    const order = round % 2 === 0 ? (["current", "against"] as const) : (["against", "current"] as const);
    for (const name of order) {
      const entry = {} as Record<Case, LoadResult>;
      for (const [label, c] of Object.entries(cases(servers[name]))) entry[label as keyof typeof entry] = await load({ ...c, seconds, connections });
      results[name] = entry;
    }
    rounds.push(results);
  }
  console.log(`\n${againstName} (against) vs this tree (current), ${rounds.length} alternating rounds of ${seconds} s, ${connections} connections\n`);
  console.log("| case | against | current | current ÷ against |\n|---|---|---|---|");
  // Each case against the one it adds to, measured next to it on the same server: the emit against the same call
  // without it, the bubbling hop against the local emit.
  const bases = { definition: "baseline", stateful: "baseline", emit: "stateful", bubble: "emit", dbRead: "staticRead", dbWrite: "staticWrite" } as const;
  for (const [label, base] of Object.entries(bases) as Array<[Exclude<Case, "baseline">, Case]>) {
    const of = (name: "current" | "against") => rounds.map((round) => round[name][label].rps / round[name][base].rps);
    const ratioOfRatios = rounds.map((round) => round.current[label].rps / round.current[base].rps / (round.against[label].rps / round.against[base].rps));
    console.log(`| ${label} ÷ ${base} | ${median(of("against")).toFixed(2)}× | ${median(of("current")).toFixed(2)}× | ${median(ratioOfRatios).toFixed(3)} (rounds: ${ratioOfRatios.map((r) => r.toFixed(2)).join(", ")}) |`);
  }
} finally {
  for (const server of Object.values(servers)) {
    await server.stop();
    rmSync(server.state, { recursive: true, force: true });
  }
  if (values.against) execFileSync("git", ["-C", root, "worktree", "remove", "--force", tree], { stdio: "ignore" });
}
