// The cost of `$`: one `$.db` call-back and one event dispatch, against a plain RPC call, in the same run.
import type { Server } from "../tests/support/server.ts";
import { load, type LoadResult } from "./load.ts";
import type { Row } from "./report.ts";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function contextBench(server: Server, token: string, options: { seconds: number; connections: number; rounds: number }): Promise<Row[]> {
  const definition = {
    api: {
      plain: "async () => 1",
      // Names a capability of `$` without calling it: the ObjectDO path with no call-back (`$.$id` alone would not be).
      inObject: "async () => typeof $.emit === 'function' ? 1 : 0",
      dbCall: "async () => (await $.db.Bench.get('missing')) === null ? 1 : 0",
      emitEvent: "async () => { await $.emit('Bench.ping', {}); return 1 }",
    },
    events: { "Bench.ping": "async () => 1" },
  };
  // The parent an event bubbles to (one principal publishes both, so it is delivered) and its child, whose
  // `bubble` emits an event with no handler of its own: the whole cost is the hop and the parent's handler.
  const parent = { events: { "Bench.*": "async () => 1" } };
  const child = { $context: "context-parent.do", api: { bubble: "async () => { await $.emit('Bench.up', {}); return 1 }" } };
  for (const [id, body] of [["context.do", definition], ["context-parent.do", parent], ["context-child.do", child]] as const) {
    const put = await fetch(`${server.url}/${id}`, { method: "PUT", headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    if (put.status >= 300) throw new Error(`PUT ${id}: ${put.status} ${await put.text()}`);
  }
  const cases = ["plain", "inObject", "dbCall", "emitEvent", "bubble"] as const;
  const run = (method: (typeof cases)[number], seconds: number) =>
    load({ url: `${server.url}/${method === "bubble" ? "context-child.do" : "context.do"}/rpc`, body: JSON.stringify({ method, params: [] }), seconds, connections: options.connections });
  for (const method of cases) await run(method, 2);
  const rounds: Array<Record<(typeof cases)[number], LoadResult>> = [];
  for (let round = 0; round < options.rounds; round++) {
    const results = {} as Record<(typeof cases)[number], LoadResult>;
    for (const method of cases) results[method] = await run(method, options.seconds);
    rounds.push(results);
  }
  const rps = (method: (typeof cases)[number]) => median(rounds.map((round) => round[method].rps));
  const ratio = (method: (typeof cases)[number], base: (typeof cases)[number]) => median(rounds.map((round) => round[method].rps / round[base].rps));
  // Extra time per call, from throughput: 1/rps(case) − 1/rps(base) at this concurrency, within each round (the two
  // runs are next to each other), the median round.
  const extraMs = (method: (typeof cases)[number], base: (typeof cases)[number]) =>
    (median(rounds.map((round) => options.connections / round[method].rps - options.connections / round[base].rps)) * 1000).toFixed(2);
  const failures = rounds.flatMap((round) => Object.values(round)).reduce((n, r) => n + r.errors + r.non2xx, 0);
  return [
    { case: "(context) plain RPC: a method without $ (Worker → sandbox)", value: `${rps("plain").toFixed(0)} req/s`, ratio: "1.00×" },
    { case: "(context) a method naming $ (Worker → ObjectDO → sandbox)", value: `${rps("inObject").toFixed(0)} req/s`, ratio: `${ratio("inObject", "plain").toFixed(2)}× of plain` },
    { case: "(context) + one $.db call-back", value: `${rps("dbCall").toFixed(0)} req/s, +${extraMs("dbCall", "inObject")} ms per call`, ratio: `${ratio("dbCall", "inObject").toFixed(2)}× of the same call without it` },
    { case: "(context) + one event dispatch (emit → one handler)", value: `${rps("emitEvent").toFixed(0)} req/s, +${extraMs("emitEvent", "inObject")} ms per call`, ratio: `${ratio("emitEvent", "inObject").toFixed(2)}× of the same call without it (goal ≤ +0.5 ms)` },
    { case: "(context) + one event bubbling to the $context parent (its one handler)", value: `${rps("bubble").toFixed(0)} req/s, +${extraMs("bubble", "emitEvent")} ms per call over a local handler`, ratio: `${ratio("bubble", "emitEvent").toFixed(2)}× of the local emit (goal: the hop ≤ +1 ms)` },
    { case: "(context) failed requests in those runs", value: String(failures), ratio: "" },
  ];
}
