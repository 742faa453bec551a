// The local supervisor's figures: how long after a call freezes (a catastrophic regex built at run time) or kills
// (a memory bomb) workerd another object answers again, and how long the restart alone takes. Goal: ≤ 10 s.
import { performance } from "node:perf_hooks";
import type { Server } from "../tests/support/server.ts";
import type { Row } from "./report.ts";

const HOSTILE = {
  regex: "async () => new RegExp(['(a+)', '+$'].join('')).test('a'.repeat(40) + 'b')",
  memory: "async () => { const a = []; for (;;) a.push(new Array(1e6).fill(1)) }",
};

async function answersAgain(server: Server, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${server.url}/bench.do/rpc`, { method: "POST", body: '{"method":"hello","params":["x"]}', signal: AbortSignal.timeout(1000) });
      if (response.ok) return true;
    } catch {
      // frozen or restarting
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

export async function supervisorBench(server: Server, auth: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [name, source] of Object.entries(HOSTILE)) {
    const id = `hostile-${name}.do`;
    const put = await fetch(`${server.url}/${id}`, { method: "PUT", headers: { authorization: `Bearer ${auth}` }, body: JSON.stringify({ api: { go: source } }) });
    if (put.status >= 300) throw new Error(`PUT ${id}: ${put.status} ${await put.text()}`);
    const started = performance.now();
    void fetch(`${server.url}/${id}/rpc`, { method: "POST", body: '{"method":"go"}' }).catch(() => null);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const answered = await answersAgain(server, Date.now() + 60_000);
    const seconds = (performance.now() - started) / 1000;
    rows.push({ case: `another object answers again after a ${name === "regex" ? "frozen" : "crashed"} runtime (${name})`, value: answered ? `${seconds.toFixed(1)} s` : "no answer in 60 s", ratio: answered && seconds <= 10 ? "goal ≤ 10 s: met" : "goal ≤ 10 s: MISSED" });
  }
  return rows;
}
