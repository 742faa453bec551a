// GitHub figures: webhook acknowledgement while 100 deliveries/s arrive for 30 s (none lost, each commit published
// once), and webhook → live latency. A real git server (git http-backend) and a fake GitHub REST server on loopback.
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { startFakeGitHub } from "../tests/support/fake-github.ts";
import { startGitHttpServer } from "../tests/support/git-http-server.ts";
import { deliver, pushPayload, type Repository } from "../tests/support/github-deliveries.ts";
import type { Server } from "../tests/support/server.ts";
import { percentile } from "./load.ts";
import type { Row } from "./report.ts";

const SECRET = "bench-webhook-secret-0123";
const APP_KEY = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
const BRANCHES = Number(process.env.BENCH_BRANCHES ?? 300);
const COPIES = 10;
const RATE = 100;

const git = (dir: string, args: string[], input?: string) => execFileSync("git", ["-C", dir, ...args], { input, env: { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" } }).toString().trim();

/** A commit whose tree holds one object answering `value`, made with plumbing (no working copy). */
function commitWith(bare: string, value: string, parent?: string): string {
  const blob = git(bare, ["hash-object", "-w", "--stdin"], JSON.stringify({ api: { value: `async () => ${JSON.stringify(value)}` } }));
  const tree = git(bare, ["mktree"], `100644 blob ${blob}\tbench.do.json\n`);
  return git(bare, ["commit-tree", tree, ...(parent ? ["-p", parent] : []), "-m", value]);
}

async function answers(server: Server, path: string, expected: string): Promise<boolean> {
  const response = await fetch(`${server.url}/${path}/rpc`, { method: "POST", body: '{"method":"value"}' });
  return response.ok && ((await response.json()) as { result: string }).result === expected;
}

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

export async function githubBench(server: Server, token: string): Promise<Row[]> {
  const root = mkdtempSync(join(tmpdir(), "objects-bench-gh-"));
  const bare = join(root, "acme", "bench.git");
  execFileSync("git", ["init", "-q", "--bare", "-b", "main", bare]);
  const gitServer = await startGitHttpServer(root, "installation-token-9");
  const github = await startFakeGitHub();
  const repo: Repository = { id: 777, fullName: "acme/bench", cloneUrl: `${gitServer.url}/acme/bench.git` };
  // Repositories are connected as a GitHub App (only apps may create check runs).
  const connect = async (connected: Repository) => {
    const response = await fetch(`${server.url}/_/repos`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: connected.fullName, cloneUrl: connected.cloneUrl, webhookSecret: SECRET, apiBaseUrl: github.url, auth: { app: { appId: 9, privateKey: APP_KEY, installationId: 9 } } }),
    });
    if (response.status !== 201) throw new Error(`connect: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { webhookUrl: string }).webhookUrl;
  };
  try {
    git(bare, ["update-ref", "refs/heads/main", commitWith(bare, "main 0")]);
    const hook = await connect(repo);

    // Webhook → live: one push to main at a time; each commit answers `value`, timed from the delivery.
    let head = git(bare, ["rev-parse", "main"]);
    const pushLive = async (value: string): Promise<number> => {
      const next = commitWith(bare, value, head);
      git(bare, ["update-ref", "refs/heads/main", next]);
      const start = performance.now();
      await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/main", head, next), secret: SECRET });
      if (!(await until(() => answers(server, "bench.do", value), 30_000))) throw new Error(`${value} never went live`);
      head = next;
      return performance.now() - start;
    };
    const live: number[] = [];
    for (let i = 1; i <= 20; i++) live.push(await pushLive(`main ${i}`));

    // Webhook → live of this repository while another one's GitHub accepts every call and never answers.
    const hanging: Repository = { id: 778, fullName: "acme/hanging", cloneUrl: `${gitServer.url}/acme/hanging.git` };
    const hangingBare = join(root, "acme", "hanging.git");
    execFileSync("git", ["init", "-q", "--bare", "-b", "main", hangingBare]);
    const hangingHook = await connect(hanging);
    for (const method of ["GET", "POST", "PATCH"]) github.hold(method, /^\/repos\/acme\/hanging\//, Number.MAX_SAFE_INTEGER);
    const beside: number[] = [];
    let other = "0".repeat(40);
    for (let i = 1; i <= 20; i++) {
      const theirs = commitWith(hangingBare, `hanging ${i}`, other === "0".repeat(40) ? undefined : other);
      git(hangingBare, ["update-ref", "refs/heads/main", theirs]);
      await deliver(hangingHook, { event: "push", payload: pushPayload(hanging, "refs/heads/main", other, theirs), secret: SECRET });
      other = theirs;
      beside.push(await pushLive(`beside ${i}`));
    }

    // The burst: 300 branches, each announced 10 times (distinct delivery ids), 100 deliveries a second for 30 s.
    const commits = Array.from({ length: BRANCHES }, (_, i) => {
      const sha = commitWith(bare, `branch ${i}`);
      git(bare, ["update-ref", `refs/heads/feature-${i}`, sha]);
      return sha;
    });
    const deliveries = Array.from({ length: BRANCHES * COPIES }, (_, n) => n % BRANCHES);
    const acks: number[] = [];
    let failed = 0;
    const started = performance.now();
    await Promise.all(
      deliveries.map(async (branch, n) => {
        await new Promise((resolve) => setTimeout(resolve, (n * 1000) / RATE));
        const start = performance.now();
        try {
          const response = await deliver(hook, { event: "push", payload: pushPayload(repo, `refs/heads/feature-${branch}`, "0".repeat(40), commits[branch]!), secret: SECRET });
          await response.arrayBuffer();
          if (response.status !== 202 && response.status !== 200) failed++;
        } catch (error) {
          failed++;
          if (failed <= 3) console.warn("a delivery failed:", (error as Error).cause ?? error);
        }
        acks.push(performance.now() - start);
      }),
    );
    const sent = performance.now() - started;
    // Drained: every branch answers (jobs run in due order, so the first and last are no proof of the rest).
    const pending = new Set(Array.from({ length: BRANCHES }, (_, i) => i));
    const drained = await until(async () => {
      for (const i of [...pending]) if (await answers(server, `bench.do@feature-${i}`, `branch ${i}`)) pending.delete(i);
      return pending.size === 0;
    }, 600_000);
    const drainedAt = performance.now() - started;
    const live300 = BRANCHES - pending.size;
    const versions = (await (await fetch(`${server.url}/bench.do/versions`, { headers: { authorization: `Bearer ${token}` } })).json()) as { publications: Array<{ provenance: { commit?: string } }> };
    const perCommit = new Map<string, number>();
    for (const publication of versions.publications) {
      const commit = publication.provenance.commit;
      if (commit && commits.includes(commit)) perCommit.set(commit, (perCommit.get(commit) ?? 0) + 1);
    }
    const checkRuns = github.checkRuns.filter((run) => commits.includes(run.head_sha)).length;
    acks.sort((a, b) => a - b);
    live.sort((a, b) => a - b);
    beside.sort((a, b) => a - b);
    const ms = (n: number) => `${n.toFixed(0)} ms`;
    return [
      { case: "(github) webhook → live, 20 pushes to main", value: `p50 ${ms(percentile(live, 50))}, p99 ${ms(percentile(live, 99))}`, ratio: "" },
      { case: "(github) the same while another repository's GitHub calls all hang", value: `p50 ${ms(percentile(beside, 50))}, p99 ${ms(percentile(beside, 99))}`, ratio: "goal ≤ 1000 ms p50" },
      { case: `(github) acknowledgement, ${acks.length} deliveries at ${RATE}/s over ${(sent / 1000).toFixed(0)} s`, value: `p50 ${ms(percentile(acks, 50))}, p99 ${ms(percentile(acks, 99))}, ${failed} failed`, ratio: "" },
      { case: `(github) ${BRANCHES} branches × ${COPIES} deliveries each`, value: `${live300}/${BRANCHES} live${drained ? ` after ${(drainedAt / 1000).toFixed(0)} s` : " (not drained in 10 min)"}; publications per commit: ${[...new Set(perCommit.values())].join(", ") || "none"} (${perCommit.size} commits); check runs: ${checkRuns}`, ratio: "goal: none lost, each once" },
    ];
  } finally {
    await github.close();
    await gitServer.close();
    rmSync(root, { recursive: true, force: true });
  }
}
