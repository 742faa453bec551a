// Previews pushed to the git remote (`refs/for/main/<topic>`): push → the preview's first call answering, for a
// preview that forks 10 MB of production state and for one that starts empty, against a new branch (what a new
// environment cost before) and a push to main.
import { performance } from "node:perf_hooks";
import { workingCopy } from "../tests/support/git.ts";
import type { Server } from "../tests/support/server.ts";
import { percentile } from "./load.ts";
import type { Row } from "./report.ts";

const ROUNDS = Number(process.env.BENCH_PREVIEW_ROUNDS ?? 7);

const definition = (label: string, state: "fork" | "empty") =>
  JSON.stringify({
    api: {
      label: `async () => ${JSON.stringify(label)}`,
      // 80 documents of 100 kB (8 MB in SQLite) and one 2 MB file (kept in R2).
      fill: "async () => { for (let i = 0; i < 80; i++) await $.db.Blob.create({ data: 'x'.repeat(100000) }); await $.fsx.write('/big.bin', 'y'.repeat(2000000)); }",
      count: "async () => (await $.db.Blob.list({ limit: 1000 })).length",
    },
    // Unprotected, so the bench's calls need no token (a fork is protected by default).
    config: { preview: { state, maxBytes: 50 * 1024 * 1024, protect: false } },
  });

async function rpc(server: Server, path: string, method: string): Promise<{ ok: boolean; result: unknown }> {
  const response = await fetch(`${server.url}/${path}/rpc`, { method: "POST", body: JSON.stringify({ method }) });
  return { ok: response.ok, result: response.ok ? ((await response.json()) as { result: unknown }).result : null };
}

export async function previewBench(server: Server, token: string): Promise<Row[]> {
  // Two repositories: a preview publishes every object of its commit, and each kind must be measured alone.
  const fatRepo = await workingCopy({ remote: `${server.url}/_/git/previews-fat.git`, token });
  const thinRepo = await workingCopy({ remote: `${server.url}/_/git/previews-thin.git`, token });
  try {
    await fatRepo.commit("production", { "fat.do.json": definition("production", "fork") });
    await thinRepo.commit("production", { "thin.do.json": definition("production", "empty") });
    for (const repo of [fatRepo, thinRepo]) if ((await repo.git("push", "objects", "main")).code !== 0) throw new Error("the first push failed");
    if (!(await rpc(server, "fat.do", "fill")).ok) throw new Error("filling production's state failed");

    /** Push `ref`, then call `path` until it answers `label`: the milliseconds in between. */
    const pushToAnswer = async (repo: typeof fatRepo, ref: string, path: string, label: string) => {
      const start = performance.now();
      const push = await repo.git("push", "-f", "objects", `HEAD:${ref}`);
      if (push.code !== 0) throw new Error(`push to ${ref} failed: ${push.stderr}`);
      while ((await rpc(server, path, "label")).result !== label) await new Promise((resolve) => setTimeout(resolve, 5));
      return { ms: performance.now() - start, lines: push.stderr };
    };
    const forked: number[] = [];
    const forkMs: number[] = [];
    const empty: number[] = [];
    const branch: number[] = [];
    const main: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Each round: a new topic for each kind (a new preview, so a new fork), then a push to main; alternating.
      const label = `round ${round}`;
      await fatRepo.commit(label, { "fat.do.json": definition(label, "fork") });
      const fat = await pushToAnswer(fatRepo, `refs/for/main/fat-${round}`, `fat.do@preview-fat-${round}`, label);
      forked.push(fat.ms);
      const took = /fat\.do: state forked from production: [\d.]+ MiB in (\d+) ms/.exec(fat.lines);
      if (took) forkMs.push(Number(took[1]));
      if ((await rpc(server, `fat.do@preview-fat-${round}`, "count")).result !== 80) throw new Error("the fork did not copy production's documents");
      // Each push carries a commit of its own (a pack to index), so the three differ only in where they publish.
      const thin = async (kind: string, ref: string, path: string) => {
        await thinRepo.commit(`${label} ${kind}`, { "thin.do.json": definition(`${label} ${kind}`, "empty") });
        return (await pushToAnswer(thinRepo, ref, path, `${label} ${kind}`)).ms;
      };
      empty.push(await thin("preview", `refs/for/main/thin-${round}`, `thin.do@preview-thin-${round}`));
      // What a new preview cost before previews were listed and could fork: a new branch, a new environment.
      branch.push(await thin("branch", `refs/heads/b-${round}`, `thin.do@b-${round}`));
      main.push(await thin("main", "refs/heads/main", "thin.do"));
    }
    const listed = (await (await fetch(`${server.url}/_/previews`, { headers: { authorization: `Bearer ${token}` } })).json()) as { previews: Array<{ id: string; ref: string; stateBytes?: number }> };
    const copied = listed.previews.find((p) => p.ref === "preview-fat-0")?.stateBytes ?? 0;
    for (const list of [forked, forkMs, empty, branch, main]) list.sort((a, b) => a - b);
    const ms = (n: number) => `${n.toFixed(0)} ms`;
    const spread = (sorted: number[]) => `p50 ${ms(percentile(sorted, 50))}, max ${ms(sorted.at(-1)!)}`;
    return [
      { case: `(previews) push to main → answering (1-object repo, ${ROUNDS} rounds; baseline)`, value: spread(main), ratio: "1.00×" },
      { case: "(previews) push of a new branch (a new environment, as previews were before) → its first call answering", value: spread(branch), ratio: `${(percentile(branch, 50) / percentile(main, 50)).toFixed(2)}× of main` },
      { case: "(previews) push of a new preview with empty state → its first call answering", value: spread(empty), ratio: `${(percentile(empty, 50) / percentile(branch, 50)).toFixed(2)}× of the new branch (goal: as fast as today)` },
      { case: `(previews) push of a new preview forking ${(copied / 1024 ** 2).toFixed(1)} MiB of production state → its first call answering`, value: spread(forked), ratio: `goal ≤ 2000 ms; the fork itself p50 ${ms(percentile(forkMs, 50))}` },
    ];
  } finally {
    fatRepo.remove();
    thinRepo.remove();
  }
}
