// Git figures: `git push` → the new version answering, for a repository of 10 objects; and clone time.
import { performance } from "node:perf_hooks";
import { workingCopy } from "../tests/support/git.ts";
import type { Server } from "../tests/support/server.ts";
import { percentile } from "./load.ts";
import type { Row } from "./report.ts";

const OBJECTS = 10;
const ROUNDS = 30;

const definition = (n: number, round: number) => JSON.stringify({ api: { version: `async () => ${round}`, hello: `async (name) => \`Hello \${name} from ${n}\`` } });

async function answers(server: Server, id: string, expected: number): Promise<boolean> {
  const response = await fetch(`${server.url}/${id}/rpc`, { method: "POST", body: '{"method":"version"}' });
  return response.ok && ((await response.json()) as { result: number }).result === expected;
}

export async function gitBench(server: Server, token: string): Promise<Row[]> {
  const repo = await workingCopy({ remote: `${server.url}/_/git/bench.git`, token });
  try {
    const files = (round: number) => Object.fromEntries(Array.from({ length: OBJECTS }, (_, n) => [`o${n}.do.json`, definition(n, round)]));
    await repo.commit("round 0", files(0));
    if ((await repo.git("push", "objects", "main")).code !== 0) throw new Error("the first push failed");
    const live: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // Each round changes one object's code: the push carries one new blob, the commit re-validates all ten.
      await repo.commit(`round ${round}`, { [`o${round % OBJECTS}.do.json`]: definition(round % OBJECTS, round) });
      const start = performance.now();
      const push = await repo.git("push", "objects", "main");
      if (push.code !== 0) throw new Error(`push failed: ${push.stderr}`);
      while (!(await answers(server, `o${round % OBJECTS}.do`, round))) await new Promise((resolve) => setTimeout(resolve, 5));
      live.push(performance.now() - start);
    }
    const clones: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      const clone = await repo.git("clone", "-q", `${server.url}/_/git/bench.git`, `clone-${i}`);
      if (clone.code !== 0) throw new Error(`clone failed: ${clone.stderr}`);
      clones.push(performance.now() - start);
    }
    live.sort((a, b) => a - b);
    clones.sort((a, b) => a - b);
    const ms = (n: number) => `${n.toFixed(0)} ms`;
    return [
      { case: `(git) push → new version answering, ${OBJECTS}-object repo, ${ROUNDS} pushes`, value: `p50 ${ms(percentile(live, 50))}, p99 ${ms(percentile(live, 99))}`, ratio: "goal ≤ 1000 ms p50, ≤ 2000 ms p99" },
      { case: `(git) clone of that repo (${ROUNDS + 1} commits), 5 clones`, value: `p50 ${ms(percentile(clones, 50))}, max ${ms(clones.at(-1)!)}`, ratio: "" },
    ];
  } finally {
    repo.remove();
  }
}
