// A rollout published from GitHub: the push that starts it says so in its check run, and the rollout's own section of
// that commit's check run follows every step (here: a pause and an abort), ending as a failure when it is aborted.
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.ts";
import { deliver, eventually, pushPayload, type Repository } from "../support/github-deliveries.ts";
import { startGitHttpServer, type GitHttpServer } from "../support/git-http-server.ts";

const SECRET = "webhook-secret-rollout-01";
const app = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
let e2e: E2E;
let github: FakeGitHub;
let gitServer: GitHttpServer;
let root: string;
let repo: Repository & { hook: string; bare: string };

const git = (dir: string, args: string[], input?: string) =>
  execFileSync("git", ["-C", dir, ...args], { input, env: { ...process.env, GIT_AUTHOR_NAME: "a", GIT_AUTHOR_EMAIL: "a@a", GIT_COMMITTER_NAME: "a", GIT_COMMITTER_EMAIL: "a@a", GIT_AUTHOR_DATE: "2026-01-01T00:00:00Z", GIT_COMMITTER_DATE: "2026-01-01T00:00:00Z" } }).toString().trim();
function commit(definition: object, parent?: string): string {
  const blob = git(repo.bare, ["hash-object", "-w", "--stdin"], JSON.stringify(definition));
  const tree = git(repo.bare, ["mktree"], `100644 blob ${blob}\tramp.do.json\n`);
  return git(repo.bare, ["commit-tree", tree, ...(parent ? ["-p", parent] : []), "-m", JSON.stringify(definition).slice(0, 40)]);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "objects-github-rollout-"));
  gitServer = await startGitHttpServer(root, "unused", "installation-token-91");
  github = await startFakeGitHub();
  e2e = await startE2E({ ALLOW_PRIVATE_URLS: "true", JOB_RETRY_DELAY_SECONDS: "0", GITHUB_TIMEOUT_MS: "1500" });
  const bare = join(root, "acme", "ramp.git");
  execFileSync("git", ["init", "-q", "--bare", "-b", "main", bare]);
  const base = { id: 9101, fullName: "acme/ramp", cloneUrl: `${gitServer.url}/acme/ramp.git` };
  const connect = await fetch(`${e2e.server.url}/_/repos`, {
    method: "POST",
    headers: { authorization: `Bearer ${await e2e.token()}` },
    body: JSON.stringify({ name: base.fullName, cloneUrl: base.cloneUrl, webhookSecret: SECRET, apiBaseUrl: github.url, auth: { app: { appId: 1, privateKey: app.privateKey, installationId: 91 } } }),
  });
  expect(connect.status).toBe(201);
  repo = { ...base, bare, hook: ((await connect.json()) as { webhookUrl: string }).webhookUrl };
});
afterAll(async () => {
  await e2e?.stop();
  await github?.close();
  await gitServer?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("a rollout started by a GitHub push", () => {
  it("reports its start in the push's check run, then each step in its own section of that check run", async () => {
    const headers = { authorization: `Bearer ${await e2e.token()}` };
    const push = async (sha: string, before: string) => {
      git(repo.bare, ["update-ref", "refs/heads/main", sha]);
      await deliver(repo.hook, { event: "push", payload: pushPayload(repo, "refs/heads/main", before, sha), secret: SECRET });
    };
    const runOf = (sha: string) => github.checkRuns.find((run) => run.repo === "acme/ramp" && run.head_sha === sha);
    const c1 = commit({ api: { which: "async () => 1" } });
    await push(c1, "0".repeat(40));
    await eventually(async () => expect(runOf(c1)?.conclusion).toBe("success"));
    const c2 = commit({ api: { which: "async () => 2" }, config: { rollout: { steps: [30, 100], interval: "1h" } } }, c1);
    await push(c2, c1);
    await eventually(async () => expect(runOf(c2)?.output.summary).toContain("ramp.do: rollout started: 30% of @latest calls go to"));

    expect((await fetch(`${e2e.server.url}/ramp.do/rollout/pause`, { method: "POST", headers })).status).toBe(200);
    await eventually(async () => expect(runOf(c2)?.output.summary).toMatch(/### rollout of ramp\.do[\s\S]*\| paused \| 30% \| by e2e \|/));
    expect(runOf(c2)!.output.title).toContain("rollout of ramp.do: paused at 30%");
    expect((await fetch(`${e2e.server.url}/ramp.do/rollout/abort`, { method: "POST", headers, body: '{"reason":"too slow"}' })).status).toBe(200);
    await eventually(async () => expect(runOf(c2)?.conclusion).toBe("failure"));
    expect(runOf(c2)!.output.summary).toMatch(/\| aborted \| 0% \| by e2e; too slow \|/);
    // One check run for the commit, edited in place.
    expect(github.checkRuns.filter((run) => run.repo === "acme/ramp" && run.head_sha === c2)).toHaveLength(1);
  });
});
