// A repository's whole life against a GitHub that fails (500) or holds (does the work, never answers) one report step at
// a time: push, pull request opened, synchronized and closed, a lightweight and an annotated tag, reconciles. In the
// end: one check run per commit, one deployment per preview push, one comment, nothing lost, and another repository's
// pushes went live meanwhile.
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.ts";
import { deliver, eventually, pullRequestPayload, pushPayload, type Repository } from "../support/github-deliveries.ts";
import { startGitHttpServer, type GitHttpServer } from "../support/git-http-server.ts";

const SECRET = "webhook-secret-scenario-01";
const app = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
let e2e: E2E;
let github: FakeGitHub;
let gitServer: GitHttpServer;
let root: string;
const repos: Record<"a" | "b", Repository & { hook: string; bare: string }> = {} as never;

const git = (dir: string, args: string[], input?: string) =>
  execFileSync("git", ["-C", dir, ...args], { input, env: { ...process.env, GIT_AUTHOR_NAME: "a", GIT_AUTHOR_EMAIL: "a@a", GIT_COMMITTER_NAME: "a", GIT_COMMITTER_EMAIL: "a@a", GIT_AUTHOR_DATE: "2026-01-01T00:00:00Z", GIT_COMMITTER_DATE: "2026-01-01T00:00:00Z" } }).toString().trim();
/** A commit holding one object `<name>.do` whose `v` answers `value`. */
function commit(bare: string, name: string, value: string, parent?: string): string {
  const blob = git(bare, ["hash-object", "-w", "--stdin"], JSON.stringify({ api: { v: `async () => ${JSON.stringify(value)}` } }));
  const tree = git(bare, ["mktree"], `100644 blob ${blob}\t${name}.do.json\n`);
  return git(bare, ["commit-tree", tree, ...(parent ? ["-p", parent] : []), "-m", value]);
}
const value = async (path: string) => {
  const response = await fetch(`${e2e.server.url}/${path}/rpc`, { method: "POST", body: '{"method":"v"}' });
  return response.ok ? ((await response.json()) as { result: string }).result : response.status;
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "objects-scenario-"));
  gitServer = await startGitHttpServer(root, "unused", "installation-token-88");
  github = await startFakeGitHub();
  e2e = await startE2E({ ALLOW_PRIVATE_URLS: "true", JOB_RETRY_DELAY_SECONDS: "0", GITHUB_TIMEOUT_MS: "1500" });
  const admin = await e2e.token();
  for (const [key, id, name] of [["a", 8801, "scenario"], ["b", 8802, "bystander"]] as const) {
    const bare = join(root, "acme", `${name}.git`);
    execFileSync("git", ["init", "-q", "--bare", "-b", "main", bare]);
    const repo = { id, fullName: `acme/${name}`, cloneUrl: `${gitServer.url}/acme/${name}.git` };
    const connect = await fetch(`${e2e.server.url}/_/repos`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}` },
      body: JSON.stringify({ name: repo.fullName, cloneUrl: repo.cloneUrl, webhookSecret: SECRET, apiBaseUrl: github.url, auth: { app: { appId: 1, privateKey: app.privateKey, installationId: 88 } } }),
    });
    expect(connect.status).toBe(201);
    repos[key] = { ...repo, bare, hook: ((await connect.json()) as { webhookUrl: string }).webhookUrl };
  }
});
afterAll(async () => {
  await e2e?.stop();
  await github?.close();
  await gitServer?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

const runsOf = (repo: string) => github.checkRuns.filter((run) => run.repo === repo);

describe("a repository's life while GitHub fails or holds one report step at a time", () => {
  it("reports each commit once, each preview push once, in one comment, loses nothing, and holds up no other repository", async () => {
    const { a, b } = repos;
    const pushMain = async (sha: string) => {
      git(a.bare, ["update-ref", "refs/heads/main", sha]);
      await deliver(a.hook, { event: "push", payload: pushPayload(a, "refs/heads/main", "0".repeat(40), sha), secret: SECRET });
    };
    const pullRequest = async (action: string, sha: string) => {
      git(a.bare, ["update-ref", "refs/pull/3/head", sha]);
      await deliver(a.hook, { event: "pull_request", payload: pullRequestPayload(a, action, 3, sha), secret: SECRET });
    };
    const checkRunOf = (sha: string) => eventually(async () => expect(runsOf("acme/scenario").filter((run) => run.head_sha === sha && run.conclusion)).toHaveLength(1));

    // Push: the check run's creation fails once, then is held (created, never answered).
    github.fail("POST", /\/acme\/scenario\/check-runs$/, 500);
    const c1 = commit(a.bare, "life", "c1");
    await pushMain(c1);
    await eventually(async () => expect(await value("life.do")).toBe("c1"));
    await checkRunOf(c1);
    github.hold("POST", /\/acme\/scenario\/check-runs$/);
    const c2 = commit(a.bare, "life", "c2", c1);
    await pushMain(c2);
    // Meanwhile the other repository publishes at once.
    const other = commit(b.bare, "bystander", "b1");
    git(b.bare, ["update-ref", "refs/heads/main", other]);
    const started = Date.now();
    await deliver(b.hook, { event: "push", payload: pushPayload(b, "refs/heads/main", "0".repeat(40), other), secret: SECRET });
    await eventually(async () => expect(await value("bystander.do")).toBe("b1"));
    expect(Date.now() - started).toBeLessThan(1500);
    await checkRunOf(c2);

    // The pull request: each report step fails once or is held once, in turn.
    const steps: Array<[string, "fail" | "hold", string, RegExp]> = [
      ["opened", "fail", "POST", /\/acme\/scenario\/issues\/3\/comments$/],
      ["synchronize", "hold", "PATCH", /\/acme\/scenario\/issues\/comments\/\d+$/],
      ["synchronize", "fail", "POST", /\/acme\/scenario\/deployments$/],
      ["synchronize", "hold", "POST", /\/acme\/scenario\/deployments$/],
      ["synchronize", "fail", "POST", /\/acme\/scenario\/deployments\/\d+\/statuses$/],
      ["synchronize", "hold", "POST", /\/acme\/scenario\/deployments\/\d+\/statuses$/],
    ];
    const heads: string[] = [];
    for (const [index, [action, fault, method, path]] of steps.entries()) {
      if (fault === "fail") github.fail(method, path, 500);
      else github.hold(method, path);
      const head = commit(a.bare, "life", `p${index}`, c2);
      heads.push(head);
      await pullRequest(action, head);
      await eventually(async () => expect(await value("life.do@pr-3")).toBe(`p${index}`));
      await eventually(async () => expect(github.deployments.find((d) => d.sha === head)?.statuses.some((s) => s.state === "success")).toBe(true), 30_000);
    }

    // Tags on c2: a lightweight one (its update held) and an annotated one (its update failing once).
    github.hold("PATCH", /\/acme\/scenario\/check-runs\/\d+$/);
    git(a.bare, ["tag", "v1.0.0", c2]);
    await deliver(a.hook, { event: "push", payload: pushPayload(a, "refs/tags/v1.0.0", "0".repeat(40), c2), secret: SECRET });
    await eventually(async () => expect(await value("life.do@v1.0.0")).toBe("c2"));
    github.fail("PATCH", /\/acme\/scenario\/check-runs\/\d+$/, 500);
    git(a.bare, ["tag", "-a", "-m", "annotated", "v1.1.0", c2]);
    const tagObject = git(a.bare, ["rev-parse", "v1.1.0"]);
    await deliver(a.hook, { event: "push", payload: pushPayload(a, "refs/tags/v1.1.0", "0".repeat(40), tagObject), secret: SECRET });
    await eventually(async () => expect(await value("life.do@v1.1.0")).toBe("c2"));
    await eventually(async () => expect(runsOf("acme/scenario").find((run) => run.head_sha === c2)?.output.title).toMatch(/v1\.0\.0.*v1\.1\.0/), 30_000);

    // Closing: listing the deployments to retire is held once.
    github.pulls.set(3, "closed");
    github.hold("GET", /\/acme\/scenario\/deployments$/);
    await pullRequest("closed", heads.at(-1)!);
    await eventually(async () => expect(await value("life.do@pr-3")).toBe(404));
    await eventually(async () => expect(github.deployments.filter((d) => d.environment === "preview/pr-3").every((d) => d.statuses.at(-1)?.state === "inactive")).toBe(true), 30_000);

    // Reconciling twice finds nothing left to do: the annotated tag settled (the remote lists the tag object).
    const admin = await e2e.token();
    for (let i = 0; i < 2; i++) {
      const reconcile = await fetch(`${e2e.server.url}/_/repos/acme/scenario/reconcile`, { method: "POST", headers: { authorization: `Bearer ${admin}` } });
      expect(((await reconcile.json()) as { queued: number }).queued).toBe(0);
    }

    // The ledger: one check run per commit, one deployment per preview push, one comment; nothing lost.
    const perCommit = new Map<string, number>();
    for (const run of runsOf("acme/scenario")) perCommit.set(run.head_sha, (perCommit.get(run.head_sha) ?? 0) + 1);
    expect([...perCommit.values()].every((count) => count === 1)).toBe(true);
    expect([...perCommit.keys()].sort()).toEqual([c1, c2, ...heads].sort());
    const previewDeployments = github.deployments.filter((d) => d.environment === "preview/pr-3");
    expect(previewDeployments.map((d) => d.sha).sort()).toEqual([...heads].sort());
    expect(github.comments.get(3)).toHaveLength(1);
    expect(github.comments.get(3)![0]!.body).toContain("was closed");
    expect(await value("life.do")).toBe("c2");
    expect(github.unused()).toEqual([]);
  }, 240_000);
});
