import { execFileSync } from "node:child_process";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { jwtVerify } from "jose";
import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.ts";
import { deliver, eventually, labeledPayload, pingPayload, pullRequestCommentPayload, pullRequestPayload, pushPayload, type Repository } from "../support/github-deliveries.ts";
import { startGitHttpServer, type GitHttpServer } from "../support/git-http-server.ts";
import { workingCopy, type WorkingCopy } from "../support/git.ts";

const SECRET = "webhook-secret-0123456789";
const GIT_TOKEN = "git-host-token";
let e2e: E2E;
let github: FakeGitHub;
let gitServer: GitHttpServer;
let root: string;
let copy: WorkingCopy;
let repo: Repository;
let hook: string;
let admin: string;

const bare = () => join(root, "acme", "objects.git");
/** Commits in the working copy and pushes to the "GitHub" repository (the local git server's disk). */
async function pushToGitHub(files: Record<string, string | null>, message: string, ref = "main", force = false): Promise<string> {
  const sha = await copy.commit(message, files);
  execFileSync("git", ["-C", copy.dir, "push", "-q", ...(force ? ["--force"] : []), bare(), `HEAD:refs/heads/${ref}`]);
  return sha;
}
const remoteHead = (ref: string) => execFileSync("git", ["-C", bare(), "rev-parse", ref]).toString().trim();
/** The check runs GitHub holds for the main repository (created, whatever was retried). */
const checkRuns = (sha?: string) => github.checkRuns.filter((run) => run.repo === "acme/objects" && (!sha || run.head_sha === sha));
// The main repository is connected as a GitHub App (only apps may create check runs); installation 77.
const app = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
const greeting = (text: string) => JSON.stringify({ api: { hello: `async () => '${text}'` } });

/**
 * Declares `bytes` of body, sends only the headers and returns the status. The server decides from the declared
 * length before reading anything, so nothing is written into a socket it may close: the answer never races a reset.
 */
function statusOfOversizedPost(url: string, bytes: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const request = httpRequest(url, { method: "POST", headers: { "content-type": "application/json", "content-length": bytes, "x-github-event": "push", "x-hub-signature-256": "sha256=0" } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
      request.destroy();
    });
    request.on("error", (error) => reject(error));
    request.flushHeaders();
  });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "objects-github-"));
  execFileSync("git", ["init", "-q", "--bare", "-b", "main", bare()]);
  gitServer = await startGitHttpServer(root, GIT_TOKEN, "installation-token-77");
  github = await startFakeGitHub();
  e2e = await startE2E({ ALLOW_PRIVATE_URLS: "true", JOB_RETRY_DELAY_SECONDS: "0" });
  admin = await e2e.token();
  copy = await workingCopy({ fixture: "acme" });
  await pushToGitHub({}, "first");
  repo = { id: 4242, fullName: "acme/objects", cloneUrl: `${gitServer.url}/acme/objects.git` };
  const connect = await fetch(`${e2e.server.url}/_/repos`, {
    method: "POST",
    headers: { authorization: `Bearer ${admin}` },
    body: JSON.stringify({ name: repo.fullName, cloneUrl: repo.cloneUrl, defaultBranch: "main", webhookSecret: SECRET, apiBaseUrl: github.url, auth: { app: { appId: 12345, privateKey: app.privateKey, installationId: 77 } } }),
  });
  if (connect.status !== 201) {
    const text = await connect.text();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    throw new Error(`connect: ${connect.status} ${text}\n${e2e.server.output()}`);
  }
  hook = ((await connect.json()) as { webhookUrl: string }).webhookUrl;
});
afterAll(async () => {
  if (process.env.DEBUG_E2E) console.log(e2e?.server.output().slice(-6000));
  copy?.remove();
  await e2e?.stop();
  await github?.close();
  await gitServer?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("the webhook endpoint (W1–W7, W16–W18)", () => {
  it("returns a connection without its secrets, with the webhook URL", async () => {
    const view = await (await fetch(`${e2e.server.url}/_/repos/acme/objects`, { headers: { authorization: `Bearer ${admin}` } })).json();
    expect(view).toEqual({ name: "acme/objects", cloneUrl: repo.cloneUrl, defaultBranch: "main", apiBaseUrl: github.url, auth: "app", scopes: ["*"], connectedBy: "e2e", webhookUrl: `${e2e.server.url}/_/webhooks/github/acme/objects` });
    expect(JSON.stringify(view)).not.toContain(SECRET);
  });

  it.each([
    ["no signature", { signature: null }, "signature-missing"],
    ["a wrong signature", { signature: `sha256=${"0".repeat(64)}` }, "signature-invalid"],
    ["only the legacy SHA-1 signature", { legacyOnly: true }, "signature-missing"],
    ["a signature made with another secret", { secret: "another-secret-0123456789" }, "signature-invalid"],
  ])("refuses a delivery with %s: 401, and nothing happens", async (_, variant, code) => {
    const before = github.requests.length;
    const response = await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/main", "0".repeat(40), remoteHead("main")), secret: SECRET, ...variant });
    expect(response.status).toBe(401);
    const body = await response.text();
    expect(JSON.parse(body).code).toBe(code);
    expect(body).not.toMatch(/sha256=[0-9a-f]{64}/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(github.requests.length).toBe(before);
  });

  it("refuses deliveries to a repository that is not connected: no secret, fail closed (W6)", async () => {
    const response = await deliver(`${e2e.server.url}/_/webhooks/github/acme/unknown`, { event: "ping", payload: pingPayload(repo), secret: SECRET });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe("webhook-secret-missing");
  });

  it("answers ping with pong, an unknown event with 204, a malformed body with 400 naming the field, a huge body with 413", async () => {
    expect(await (await deliver(hook, { event: "ping", payload: pingPayload(repo), secret: SECRET })).json()).toEqual({ status: "pong" });
    expect((await deliver(hook, { event: "star", payload: { action: "created" }, secret: SECRET })).status).toBe(204);
    const malformed = await deliver(hook, { event: "push", payload: { ...pushPayload(repo, "refs/heads/main", "0".repeat(40), remoteHead("main")), after: 42 }, secret: SECRET });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { detail: string }).detail).toContain("/after");
    const notJson = await deliver(hook, { event: "push", payload: "{not json", secret: SECRET });
    expect(notJson.status).toBe(400);
    // The server answers 413 from the declared length without reading the body: read the status as it arrives.
    expect(await statusOfOversizedPost(hook, 26 * 1024 * 1024)).toBe(413);
  });
});

describe("publishing from GitHub", () => {
  it("publishes a push to the default branch as latest, with a successful check run listing the URLs", async () => {
    const sha = remoteHead("main");
    const response = await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/main", "0".repeat(40), sha), secret: SECRET, id: "delivery-1" });
    expect(response.status).toBe(202);
    await eventually(async () => expect((await e2e.call("hello.do", "hello", ["GitHub"])).body.result).toBe("Hello GitHub!"));
    const [run] = await eventually(async () => {
      const runs = checkRuns(sha);
      expect(runs).toHaveLength(1);
      return runs;
    });
    expect(run!).toMatchObject({ name: "objects.do", head_sha: sha, status: "completed", conclusion: "success", external_id: `objects.do:${sha}` });
    expect(JSON.stringify(run!.output)).toContain(`${e2e.server.url}/hello.do@latest`);
    expect(run!.output.summary).toContain("#### Contract changes");
    expect(run!.details_url).toBe(`${e2e.server.url}/_/reports/acme/objects/${sha}`);
    expect(github.find("POST", /\/repos\/acme\/objects\/check-runs$/).at(-1)!.authorization).toBe("token installation-token-77");
  });

  it("acknowledges a replayed delivery as a duplicate and does nothing twice (W7)", async () => {
    const sha = remoteHead("main");
    const replay = await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/main", "0".repeat(40), sha), secret: SECRET, id: "delivery-1" });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ status: "duplicate", delivery: "delivery-1" });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(checkRuns(sha)).toHaveLength(1);
  });

  it("publishes the remote's current head when deliveries arrive out of order, never moving backwards (W10)", async () => {
    const c1 = await pushToGitHub({ "hello.do.json": greeting("c1") }, "c1");
    const c2 = await pushToGitHub({ "hello.do.json": greeting("c2") }, "c2");
    await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/main", c1, c2), secret: SECRET });
    await eventually(async () => expect((await e2e.call("hello.do", "hello")).body.result).toBe("c2"));
    await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/main", "0".repeat(40), c1), secret: SECRET });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await e2e.call("hello.do", "hello")).body.result).toBe("c2");
    expect(checkRuns(c1)).toHaveLength(0);
  });

  it("follows a force-push, keeping the old commits addressable (W11)", async () => {
    const old = remoteHead("main");
    execFileSync("git", ["-C", copy.dir, "reset", "-q", "--hard", "HEAD~1"]);
    const rewritten = await pushToGitHub({ "hello.do.json": greeting("rewritten") }, "rewritten", "main", true);
    await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/main", old, rewritten, { forced: true }), secret: SECRET });
    await eventually(async () => expect((await e2e.call("hello.do", "hello")).body.result).toBe("rewritten"));
    expect((await e2e.call(`hello.do@${old.slice(0, 7)}`, "hello")).body.result).toBe("c2");
  });

  it("publishes a tag push as that version", async () => {
    const head = remoteHead("main");
    execFileSync("git", ["-C", bare(), "tag", "v1.2.0", head]);
    await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/tags/v1.2.0", "0".repeat(40), head), secret: SECRET });
    await eventually(async () => expect((await e2e.call("hello.do@v1.2.0", "hello")).body.result).toBe("rewritten"));
  });

  it("fails the check with an annotation at the file and line, and publishes nothing", async () => {
    const bad = await pushToGitHub({ "crm.acme.com/api/broken.js": "export default async (a) => {\n  return a +;\n}\n", "hello.do.json": greeting("never") }, "broken");
    await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/main", "0".repeat(40), bad), secret: SECRET });
    const run = await eventually(async () => {
      const runs = checkRuns(bad);
      expect(runs).toHaveLength(1);
      return runs[0]!;
    });
    expect(run.conclusion).toBe("failure");
    expect(run.annotations).toEqual([{ path: "crm.acme.com/api/broken.js", start_line: 2, end_line: 2, annotation_level: "failure", message: "SyntaxError: Unexpected token", title: "syntax-error" }]);
    expect((await e2e.call("hello.do", "hello")).body.result).toBe("rewritten");
    execFileSync("git", ["-C", copy.dir, "reset", "-q", "--hard", "HEAD~1"]);
    execFileSync("git", ["-C", copy.dir, "push", "-q", "--force", bare(), "HEAD:refs/heads/main"]);
  });

  it("retries a GitHub 500 and reports once it succeeds, publishing once", async () => {
    github.fail("POST", /\/check-runs$/, 500, 1);
    const sha = await pushToGitHub({ "hello.do.json": greeting("after 500") }, "after 500");
    await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/main", "0".repeat(40), sha), secret: SECRET });
    await eventually(async () => expect(checkRuns(sha)).toHaveLength(1));
    expect(github.find("POST", /\/repos\/acme\/objects\/check-runs$/).filter((r) => r.body.head_sha === sha)).toHaveLength(2);
    expect((await e2e.call("hello.do", "hello")).body.result).toBe("after 500");
    const state = await (await fetch(`${e2e.server.url}/hello.do/versions`, { headers: { authorization: `Bearer ${admin}` } })).json() as { publications: Array<{ provenance: { commit?: string } }> };
    expect(state.publications.filter((p) => p.provenance.commit === sha)).toHaveLength(1);
  });

  it("reports with a commit status on a token connection (only apps may create check runs), linking the full report", async () => {
    const tokenRepo: Repository = { id: 6161, fullName: "acme/token-objects", cloneUrl: `${gitServer.url}/acme/objects.git` };
    const connect = await fetch(`${e2e.server.url}/_/repos`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}` },
      body: JSON.stringify({ name: tokenRepo.fullName, cloneUrl: tokenRepo.cloneUrl, webhookSecret: SECRET, apiBaseUrl: github.url, auth: { token: GIT_TOKEN } }),
    });
    expect(connect.status).toBe(201);
    const tokenHook = ((await connect.json()) as { webhookUrl: string }).webhookUrl;
    const sha = remoteHead("main");
    await deliver(tokenHook, { event: "push", payload: pushPayload(tokenRepo, "refs/heads/main", "0".repeat(40), sha), secret: SECRET });
    const status = await eventually(async () => {
      const found = github.statuses.find((s) => s.sha === sha && s.target_url?.includes("/token-objects/"));
      expect(found).toBeDefined();
      return found!;
    });
    // Its objects belong to acme/objects (the same commits): the status fails, and the report says why in full.
    expect(status).toMatchObject({ state: "failure", context: "objects.do", target_url: `${e2e.server.url}/_/reports/acme/token-objects/${sha}` });
    expect(status.description!.length).toBeLessThanOrEqual(140);
    const page = await fetch(status.target_url!, { headers: { accept: "application/json" } });
    expect(page.status).toBe(200);
    const report = (await page.json()) as { repo: string; sections: Array<{ ref: string; lines: string[] }> };
    expect(report).toMatchObject({ repo: "acme/token-objects", sha, sections: [{ ref: "@latest" }] });
    expect(report.sections[0]!.lines.join("\n")).toContain("published from the GitHub repository acme/objects");
    const html = await (await fetch(status.target_url!)).text();
    expect(html).toContain("published from the GitHub repository acme/objects");
  });

  it("repairs a missed webhook when reconciling", async () => {
    const sha = await pushToGitHub({ "hello.do.json": greeting("missed") }, "no webhook for this one");
    const reconcile = await fetch(`${e2e.server.url}/_/repos/acme/objects/reconcile`, { method: "POST", headers: { authorization: `Bearer ${admin}` } });
    expect(reconcile.status).toBe(202);
    expect(((await reconcile.json()) as { queued: number }).queued).toBeGreaterThanOrEqual(1);
    await eventually(async () => expect((await e2e.call("hello.do", "hello")).body.result).toBe("missed"));
    await eventually(async () => expect(checkRuns(sha)).toHaveLength(1));
  });
});

describe("more deliveries (W9, W12, W20) and giving up", () => {
  it("publishes a new tag once although both push and create announce it (W9)", async () => {
    const head = remoteHead("main");
    execFileSync("git", ["-C", bare(), "tag", "v1.3.0", head]);
    await Promise.all([
      deliver(hook, { event: "push", payload: pushPayload(repo, "refs/tags/v1.3.0", "0".repeat(40), head), secret: SECRET }),
      deliver(hook, { event: "create", payload: { ref: "v1.3.0", ref_type: "tag", master_branch: "main", repository: pushPayload(repo, "refs/tags/v1.3.0", "0".repeat(40), head).repository }, secret: SECRET }),
    ]);
    await eventually(async () => expect((await e2e.call("hello.do@v1.3.0", "hello")).status).toBe(200));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const tagRuns = checkRuns(head).filter((run) => String(run.output.title).includes("v1.3.0"));
    expect(tagRuns).toHaveLength(1);
  });

  it("tears a branch's environment down when the branch is deleted (W12)", async () => {
    const sha = await pushToGitHub({ "hello.do.json": greeting("on a branch") }, "branch", "feature");
    await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/feature", "0".repeat(40), sha), secret: SECRET });
    await eventually(async () => expect((await e2e.call("hello.do@feature", "hello")).body.result).toBe("on a branch"));
    execFileSync("git", ["-C", bare(), "branch", "-D", "feature"]);
    await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/feature", sha, "0".repeat(40)), secret: SECRET });
    await eventually(async () => expect((await e2e.call("hello.do@feature", "hello")).status).toBe(404));
    execFileSync("git", ["-C", copy.dir, "reset", "-q", "--hard", "HEAD~1"]);
  });

  it("ignores a delivery whose repository id is not the connected one (renamed or transferred, W20)", async () => {
    const response = await deliver(hook, { event: "push", payload: pushPayload({ ...repo, id: 9999 }, "refs/heads/main", "0".repeat(40), remoteHead("main")), secret: SECRET });
    expect(response.status).toBe(202);
    expect(((await response.json()) as { status: string }).status).toBe("ignored");
  });

  it("gives up after the last retry and says so on the commit", async () => {
    const sha = await pushToGitHub({ "hello.do.json": greeting("unreported") }, "GitHub keeps failing");
    github.fail("POST", /\/check-runs$/, 500, 6);
    await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/main", "0".repeat(40), sha), secret: SECRET });
    const gaveUp = await eventually(async () => {
      const runs = checkRuns(sha).filter((run) => String(run.output.title).includes("gave up"));
      expect(runs).toHaveLength(1);
      return runs[0]!;
    }, 40_000);
    expect(gaveUp.conclusion).toBe("failure");
    // Six tries, counted in the repository's own inbox (the count once read "1 attempts" after six).
    expect(gaveUp.output.title).toContain("gave up after 6 tries");
    expect((await e2e.call("hello.do", "hello")).body.result).toBe("unreported");
  });
});

describe("a GitHub App connection", () => {
  it("signs an app JWT with the private key, exchanges it for an installation token, and acts with that token", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const appRepo: Repository = { id: 5151, fullName: "acme/app-objects", cloneUrl: `${gitServer.url}/acme/objects.git` };
    const connect = await fetch(`${e2e.server.url}/_/repos`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}` },
      body: JSON.stringify({ name: appRepo.fullName, cloneUrl: appRepo.cloneUrl, webhookSecret: SECRET, apiBaseUrl: github.url, auth: { app: { appId: 12345, privateKey, installationId: 77 } } }),
    });
    expect(connect.status).toBe(201);
    const appHook = ((await connect.json()) as { webhookUrl: string }).webhookUrl;
    const sha = remoteHead("main");
    await deliver(appHook, { event: "push", payload: pushPayload(appRepo, "refs/heads/main", "0".repeat(40), sha), secret: SECRET });
    const run = await eventually(async () => {
      const runs = github.find("POST", /\/repos\/acme\/app-objects\/check-runs$/);
      expect(runs).toHaveLength(1);
      return runs[0]!;
    });
    expect(run.authorization).toBe("token installation-token-77");
    const exchange = github.find("POST", /^\/app\/installations\/77\/access_tokens$/).at(-1);
    const jwt = exchange!.authorization.replace(/^bearer /i, "");
    const { payload, protectedHeader } = await jwtVerify(jwt, createPublicKey(publicKey));
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload.iss).toBe("12345");
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(600);
  });
});

describe("pull request previews", () => {
  const comments = () => github.comments.get(7) ?? [];

  it("publishes an opened pull request as @pr-7 with its own state, one comment and a deployment", async () => {
    const head = await copy.commit("preview", { "hello.do.json": greeting("preview") });
    execFileSync("git", ["-C", copy.dir, "push", "-q", bare(), `${head}:refs/pull/7/head`]);
    await deliver(hook, { event: "pull_request", payload: pullRequestPayload(repo, "opened", 7, head), secret: SECRET });
    await eventually(async () => expect((await e2e.call("hello.do@pr-7", "hello")).body.result).toBe("preview"));
    expect((await e2e.call("hello.do", "hello")).body.result).not.toBe("preview");
    await e2e.call("crm.acme.com@pr-7", "customers.create", [{ name: "Preview only" }]);
    const production = (await e2e.call("crm.acme.com", "customers.list")).body.result as Array<{ name: string }>;
    expect(production.some((c) => c.name === "Preview only")).toBe(false);
    await eventually(async () => expect(comments()).toHaveLength(1));
    expect(comments()[0]!.body).toContain("<!-- objects.do:preview -->");
    expect(comments()[0]!.body).toContain(`${e2e.server.url}/hello.do@pr-7`);
    // The preview is compared with production: what merging it would change.
    expect(comments()[0]!.body).toContain("#### Contract changes");
    expect(comments()[0]!.body).toMatch(/\*\*`hello\.do`\*\* \(from [0-9a-f]{12}\): 1 change\(s\), none breaking\n- `\* method hello\(\) \(modified\)`/);
    // The deployment is reported after the comment.
    await eventually(async () => expect(github.find("POST", /\/repos\/acme\/objects\/deployments$/).at(-1)?.body).toMatchObject({ ref: head, environment: "preview/pr-7", transient_environment: true }));
    await eventually(async () => expect(github.find("POST", /\/deployments\/\d+\/statuses$/).at(-1)!.body).toMatchObject({ state: "success", environment_url: `${e2e.server.url}/crm.acme.com@pr-7` }));
    execFileSync("git", ["-C", copy.dir, "reset", "-q", "--hard", "HEAD~1"]);
  });

  it("edits the one comment on synchronize instead of adding another", async () => {
    const head = await copy.commit("preview 2", { "hello.do.json": greeting("preview 2") });
    execFileSync("git", ["-C", copy.dir, "push", "-q", "--force", bare(), `${head}:refs/pull/7/head`]);
    await deliver(hook, { event: "pull_request", payload: pullRequestPayload(repo, "synchronize", 7, head), secret: SECRET });
    await eventually(async () => expect((await e2e.call("hello.do@pr-7", "hello")).body.result).toBe("preview 2"));
    await eventually(async () => expect(comments()[0]!.body).toContain(head.slice(0, 7)));
    expect(comments()).toHaveLength(1);
    expect(github.find("PATCH", /\/issues\/comments\/\d+$/).length).toBeGreaterThanOrEqual(1);
    execFileSync("git", ["-C", copy.dir, "reset", "-q", "--hard", "HEAD~1"]);
  });

  it("deletes the preview and its state on close, says so in the comment and marks the deployment inactive", async () => {
    github.pulls.set(7, "closed");
    await deliver(hook, { event: "pull_request", payload: pullRequestPayload(repo, "closed", 7, remoteHead("refs/pull/7/head")), secret: SECRET });
    await eventually(async () => expect((await e2e.call("hello.do@pr-7", "hello")).status).toBe(404));
    await eventually(async () => expect(comments()[0]!.body).toContain("was closed"));
    expect(comments()).toHaveLength(1);
    await eventually(async () => expect(github.find("POST", /\/deployments\/\d+\/statuses$/).some((r) => r.body.state === "inactive")).toBe(true));
    // A late synchronize for the closed pull request does not bring the preview back (P3).
    await deliver(hook, { event: "pull_request", payload: pullRequestPayload(repo, "synchronize", 7, remoteHead("refs/pull/7/head")), secret: SECRET });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await e2e.call("hello.do@pr-7", "hello")).status).toBe(404);
  });
});

describe("pull requests from forks", () => {
  const FORK = "stranger/objects";
  const checksOn = (sha: string) => checkRuns(sha).map((run) => String(run.output.title));

  it("wait for a collaborator's approval of each commit, and run nothing until then", async () => {
    const first = await copy.commit("from a fork", { "hello.do.json": greeting("fork") });
    execFileSync("git", ["-C", copy.dir, "push", "-q", bare(), `${first}:refs/pull/9/head`]);
    await deliver(hook, { event: "pull_request", payload: pullRequestPayload(repo, "opened", 9, first, FORK), secret: SECRET });
    await eventually(async () => expect(checksOn(first)).toEqual(["The preview waits for approval: this pull request comes from a fork"]));
    await eventually(async () => expect(github.comments.get(9)?.[0]?.body).toContain("`/preview`"));
    expect((await e2e.call("hello.do@pr-9", "hello")).status).toBe(404);

    // Someone without write access asks: nothing runs.
    github.permissions.set("reader", "read");
    await deliver(hook, { event: "issue_comment", payload: pullRequestCommentPayload(repo, 9, "reader", "/preview"), secret: SECRET });
    await deliver(hook, { event: "issue_comment", payload: pullRequestCommentPayload(repo, 9, "nobody", "/preview"), secret: SECRET });
    await eventually(async () => expect(github.find("GET", /\/collaborators\/nobody\/permission$/)).toHaveLength(1));
    expect((await e2e.call("hello.do@pr-9", "hello")).status).toBe(404);

    // A maintainer's label approves this commit.
    github.permissions.set("maintainer", "write");
    await deliver(hook, { event: "pull_request", payload: labeledPayload(repo, 9, first, "objects-preview", "maintainer", FORK), secret: SECRET });
    await eventually(async () => expect((await e2e.call("hello.do@pr-9", "hello")).body.result).toBe("fork"));

    // The next push needs a new approval; the approved commit keeps serving meanwhile.
    const second = await copy.commit("more from the fork", { "hello.do.json": greeting("fork 2") });
    execFileSync("git", ["-C", copy.dir, "push", "-q", "--force", bare(), `${second}:refs/pull/9/head`]);
    await deliver(hook, { event: "pull_request", payload: pullRequestPayload(repo, "synchronize", 9, second, FORK), secret: SECRET });
    await eventually(async () => expect(checksOn(second)).toEqual(["The preview waits for approval: this pull request comes from a fork"]));
    expect(checkRuns(second)[0]!.output).toMatchObject({ summary: expect.stringContaining(`maintainer approved ${first.slice(0, 7)}`) });
    expect((await e2e.call("hello.do@pr-9", "hello")).body.result).toBe("fork");
    await deliver(hook, { event: "issue_comment", payload: pullRequestCommentPayload(repo, 9, "maintainer", "/preview"), secret: SECRET });
    await eventually(async () => expect((await e2e.call("hello.do@pr-9", "hello")).body.result).toBe("fork 2"));
    execFileSync("git", ["-C", copy.dir, "reset", "-q", "--hard", "HEAD~2"]);
  });
});
