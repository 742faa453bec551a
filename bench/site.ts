// Serving surfaces against a plain RPC call, in the same run: site pages (static, with an expression evaluated in
// the sandbox, with one reading the object's state) and an MCP tool call.
import type { Server } from "../tests/support/server.ts";
import { load, type LoadOptions, type LoadResult } from "./load.ts";
import type { Row } from "./report.ts";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const definition = {
  api: { ping: "async () => 'pong'" },
  site: {
    "/": "# Acme\n\n<Hero title=\"Customers, sorted\" subtitle=\"The CRM that stays out of the way\" />\n\n- one\n- two\n\n[Pricing](/pricing)",
    "/sum": "# Sum\n\nOne and two make {1 + 2}.",
    "/stats": "# Stats\n\nWe have {(await $.db.Customer.list()).length} customers.",
  },
};

export async function siteBench(server: Server, token: string, options: { seconds: number; connections: number }): Promise<Row[]> {
  const put = await fetch(`${server.url}/site.bench.do`, { method: "PUT", headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(definition) });
  if (put.status >= 300) throw new Error(`PUT site.bench.do: ${put.status} ${await put.text()}`);
  const base = `${server.url}/site.bench.do@latest`;
  const tool = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "ping", arguments: {} } });
  const cases: Record<string, Omit<LoadOptions, "seconds" | "connections">> = {
    rpc: { url: `${server.url}/site.bench.do/rpc`, body: JSON.stringify({ method: "ping", params: [] }) },
    // The SDK's transport answers 406 to a client that does not accept both (as the MCP spec says).
    mcp: { url: `${base}/mcp`, body: tool, headers: { accept: "application/json, text/event-stream" } },
    staticPage: { url: `${base}/`, method: "GET" },
    expressionPage: { url: `${base}/sum`, method: "GET" },
    statePage: { url: `${base}/stats`, method: "GET" },
  };
  const names = Object.keys(cases);
  for (const name of names) await load({ ...cases[name]!, seconds: 2, connections: options.connections });
  const rounds: Array<Record<string, LoadResult>> = [];
  for (let round = 0; round < 5; round++) {
    const results: Record<string, LoadResult> = {};
    for (const name of names) results[name] = await load({ ...cases[name]!, seconds: options.seconds, connections: options.connections });
    rounds.push(results);
  }
  const rps = (name: string) => median(rounds.map((round) => round[name]!.rps));
  const ratio = (name: string) => `${median(rounds.map((round) => round[name]!.rps / round.rpc!.rps)).toFixed(2)}× of RPC`;
  const p50 = (name: string) => median(rounds.map((round) => round[name]!.p50));
  const failures = rounds.flatMap((round) => Object.values(round)).reduce((n, r) => n + r.errors + r.non2xx, 0);
  const row = (name: string, label: string): Row => ({ case: `(site) ${label}`, value: `${rps(name).toFixed(0)} req/s, p50 ${p50(name)} ms`, ratio: name === "rpc" ? "1.00×" : ratio(name) });
  return [
    row("rpc", "plain RPC call (baseline)"),
    row("mcp", "MCP tools/call of the same method"),
    row("staticPage", "site page, static (rendered once per version)"),
    row("expressionPage", "site page with one {expression} (sandbox from the Worker)"),
    { ...row("statePage", "site page with one {$.db} expression (ObjectDO → sandbox)"), ratio: `${ratio("statePage")}; ${median(rounds.map((round) => round.statePage!.rps / round.staticPage!.rps)).toFixed(2)}× of the static page (goal ≥ 0.8×)` },
    { case: "(site) failed requests in those runs", value: String(failures), ratio: "" },
  ];
}
