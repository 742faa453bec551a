// GitHub end to end, pull requests: previews with their own state, one comment, deployments, forks that wait for
// approval, and an app connection's token exchange. The webhook side: github-webhooks.test.ts.
import { execFileSync } from "node:child_process";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { jwtVerify } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { deliver, eventually, labeledPayload, pullRequestCommentPayload, pullRequestPayload, pushPayload, type Repository } from "../support/github-deliveries.ts";
import { admin, bare, checkRuns, copy, e2e, github, gitServer, greeting, hook, pushToGitHub, remoteHead, repo, SECRET, settle, useGitHubWorld } from "../support/github-world.ts";

useGitHubWorld();
// Previews are compared with production: the default branch is published first, hello.do answering without params.
beforeAll(async () => {
  const sha = await pushToGitHub({ "hello.do.json": greeting("production") }, "production");
  await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/main", "0".repeat(40), sha), secret: SECRET });
  await eventually(async () => expect((await e2e.call("hello.do", "hello")).body.result).toBe("production"));
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
    // A late synchronize for the closed pull request does not bring the preview back.
    await deliver(hook, { event: "pull_request", payload: pullRequestPayload(repo, "synchronize", 7, remoteHead("refs/pull/7/head")), secret: SECRET });
    await settle();
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
    execFileSync("git", ["-C", copy.dir, "reset", "-q", "--hard", "HEAD~1"]);
  });
});

describe("a pull request preview with forked state", () => {
  const ledger = (label: string) =>
    JSON.stringify({
      api: { add: "async (entry) => $.db.Entry.create({ entry })", list: "async () => (await $.db.Entry.list()).map((e) => e.entry).sort()", label: `async () => '${label}'` },
      // Unprotected, so the calls below need no token (forked previews are protected by default).
      config: { preview: { state: "fork", protect: false } },
    });
  const previewsListed = async () => {
    const response = await fetch(`${e2e.server.url}/_/previews`, { headers: { authorization: `Bearer ${admin}` } });
    return ((await response.json()) as { previews: Array<{ id: string; ref: string }> }).previews.filter((p) => p.id === "ledger.do").map((p) => p.ref);
  };

  it("starts with production's data at creation, keeps its writes, and is torn down by reconcile when the close webhook was missed", async () => {
    const sha = await pushToGitHub({ "ledger.do.json": ledger("production") }, "ledger");
    await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/main", "0".repeat(40), sha), secret: SECRET });
    await eventually(async () => expect((await e2e.call("ledger.do", "label")).body.result).toBe("production"));
    await e2e.call("ledger.do", "add", ["opening balance"]);

    const head = await copy.commit("ledger preview", { "ledger.do.json": ledger("preview") });
    execFileSync("git", ["-C", copy.dir, "push", "-q", bare(), `${head}:refs/pull/11/head`]);
    await deliver(hook, { event: "pull_request", payload: pullRequestPayload(repo, "opened", 11, head), secret: SECRET });
    await eventually(async () => expect((await e2e.call("ledger.do@pr-11", "label")).body.result).toBe("preview"));
    expect((await e2e.call("ledger.do@pr-11", "list")).body.result).toEqual(["opening balance"]);
    await eventually(async () => expect(github.comments.get(11)?.[0]?.body).toMatch(/- ledger\.do: state forked from production: [\d.]+ KiB in \d+ ms/));
    await e2e.call("ledger.do@pr-11", "add", ["preview entry"]);
    await e2e.call("ledger.do", "add", ["production entry"]);
    expect((await e2e.call("ledger.do@pr-11", "list")).body.result).toEqual(["opening balance", "preview entry"]);
    expect((await e2e.call("ledger.do", "list")).body.result).toEqual(["opening balance", "production entry"]);
    expect(await previewsListed()).toContain("pr-11");

    // Deleted by hand while the pull request stays open: the next delivery brings it back with a new fork, even for
    // the head it already published (the repository forgot the deleted object).
    const removed = await fetch(`${e2e.server.url}/_/previews/ledger.do@pr-11`, { method: "DELETE", headers: { authorization: `Bearer ${admin}` } });
    expect(removed.status).toBe(204);
    expect((await e2e.call("ledger.do@pr-11", "list")).status).toBe(404);
    await deliver(hook, { event: "pull_request", payload: pullRequestPayload(repo, "synchronize", 11, head), secret: SECRET });
    await eventually(async () => expect((await e2e.call("ledger.do@pr-11", "label")).body.result).toBe("preview"));
    expect((await e2e.call("ledger.do@pr-11", "list")).body.result).toEqual(["opening balance", "production entry"]);

    // Closed on GitHub, but the webhook never came: the reconciler notices.
    github.pulls.set(11, "closed");
    const reconcile = await fetch(`${e2e.server.url}/_/repos/acme/objects/reconcile`, { method: "POST", headers: { authorization: `Bearer ${admin}` } });
    expect(reconcile.status).toBe(202);
    await eventually(async () => expect((await e2e.call("ledger.do@pr-11", "list")).status).toBe(404));
    expect(await previewsListed()).not.toContain("pr-11");
    await eventually(async () => expect(github.comments.get(11)?.[0]?.body).toContain("was closed"));
    execFileSync("git", ["-C", copy.dir, "reset", "-q", "--hard", "HEAD~1"]);
  });
});
