// Git figures: `git push` → the new version answering, for a repository of 10 objects; and clone time.
import { execFile } from "node:child_process";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
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

const PUSHES = Number(process.env.BENCH_GIT_PUSHES ?? 200);
const SAMPLES = 5;
const run = promisify(execFile);

/** Median of `SAMPLES` runs of `step` (timed), each after `prepare` (not timed), in a folder of its own. */
async function median(prefix: string, step: (dir: string) => Promise<void>, prepare?: (dir: string) => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const dir = `${prefix}-${i}`;
    await prepare?.(dir);
    const start = performance.now();
    await step(dir);
    times.push(performance.now() - start);
  }
  return percentile(times.sort((a, b) => a - b), 50);
}

/**
 * Push cost as history grows (p50 of pushes 1–20 against the last 20 of `BENCH_GIT_PUSHES`, 4 small files a commit),
 * then full clone, shallow clone and a one-commit fetch of that repository, side by side with `git http-backend`
 * serving a bare copy of the same repository on the same machine.
 */
export async function gitHistoryBench(server: Server, token: string): Promise<Row[]> {
  const { startGitHttpServer } = await import("../tests/support/git-http-server.ts");
  const repo = await workingCopy({ remote: `${server.url}/_/git/history.git`, token });
  const check = (result: { code: number; stderr: string }, what: string) => {
    if (result.code !== 0) throw new Error(`${what} failed: ${result.stderr}`);
  };
  try {
    const pushes: number[] = [];
    for (let i = 1; i <= PUSHES; i++) {
      await repo.commit(`push ${i}`, { [`f${i % 4}.txt`]: `${i}\n`, ...(i === 1 ? { "h.do.json": '{"api":{"hi":"async () => 1"}}\n', "f1.txt": "1\n", "f2.txt": "2\n", "f3.txt": "3\n" } : {}) });
      const start = performance.now();
      check(await repo.git("push", "-q", "objects", "main"), `push ${i}`);
      pushes.push(performance.now() - start);
    }
    const p50 = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
    const early = p50(pushes.slice(0, 20));
    const late = p50(pushes.slice(-20));
    // The same history, served by git itself: a bare copy behind git http-backend (Basic auth with the token).
    check(await repo.git("clone", "-q", "--bare", repo.dir, `${repo.dir}/backend/history.git`), "bare copy");
    const backend = await startGitHttpServer(`${repo.dir}/backend`, token);
    const header = ["-c", `http.extraHeader=Authorization: Bearer ${token}`];
    const clients: Array<[string, string, string[]]> = [
      ["objects.do", `${server.url}/_/git/history.git`, header],
      ["http-backend", `${backend.url.replace("http://", `http://git:${token}@`)}/history.git`, []],
    ];
    const git = async (config: string[], ...args: string[]) => void (await run("git", [...config, ...args], { maxBuffer: 64 * 1024 * 1024 }));
    const rows: Row[] = [{ case: `(git) push p50, pushes 1–20 vs the last 20 of ${PUSHES} (4 small files a commit)`, value: `${early.toFixed(0)} ms → ${late.toFixed(0)} ms`, ratio: `${(late / early).toFixed(2)}× (goal ≤ 1.1× at #1,000)` }];
    try {
      const compare = async (what: string, step: (url: string, config: string[], dir: string) => Promise<void>, prepare?: (url: string, config: string[], dir: string) => Promise<void>) => {
        const times: number[] = [];
        for (const [name, url, config] of clients) times.push(await median(`${repo.dir}/${name}-${what.replace(/\W+/g, "-")}`, (dir) => step(url, config, dir), prepare && ((dir) => prepare(url, config, dir))));
        rows.push({ case: `(git) ${what}, ${PUSHES} commits: objects.do vs git http-backend (median of ${SAMPLES})`, value: `${times[0]!.toFixed(0)} ms vs ${times[1]!.toFixed(0)} ms`, ratio: `${(times[0]! / times[1]!).toFixed(2)}× (goal ≤ 3×)` });
      };
      await compare("full clone", (url, config, dir) => git(config, "clone", "-q", url, dir));
      await compare("shallow clone --depth 1", (url, config, dir) => git(config, "clone", "-q", "--depth", "1", url, dir));
      // One commit behind: a clone moved back a commit (and its newest objects dropped) fetches it again.
      await compare(
        "one-commit fetch",
        (_url, config, dir) => git(config, "-C", dir, "fetch", "-q", "origin"),
        async (url, config, dir) => {
          await git(config, "clone", "-q", url, dir);
          await git([], "-C", dir, "reset", "-q", "--hard", "HEAD~1");
          await git([], "-C", dir, "update-ref", "refs/remotes/origin/main", "HEAD");
          await git([], "-C", dir, "reflog", "expire", "--expire=now", "--all");
          await git([], "-C", dir, "gc", "-q", "--prune=now");
        },
      );
    } finally {
      await backend.close();
    }
    return rows;
  } finally {
    repo.remove();
  }
}
