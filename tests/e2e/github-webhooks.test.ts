// GitHub end to end, the webhook side: signatures, duplicates, order, pushes and tags published with their check
// runs, retries, reconciling, giving up. Pull requests and app connections: github-previews.test.ts.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { deliver, eventually, pingPayload, pushPayload, type Repository } from "../support/github-deliveries.ts";
import { admin, bare, checkRuns, copy, e2e, GIT_TOKEN, github, gitServer, greeting, hook, jobs, pushToGitHub, remoteHead, repo, SECRET, settle, statusOfOversizedPost, useGitHubWorld } from "../support/github-world.ts";

useGitHubWorld();

describe("the webhook endpoint", () => {
  it("returns a connection without its secrets, with the webhook URL", async () => {
    const view = await (await fetch(`${e2e.server.url}/_/repos/acme/objects`, { headers: { authorization: `Bearer ${admin}` } })).json();
    expect(view).toEqual({ name: "acme/objects", cloneUrl: repo.cloneUrl, defaultBranch: "main", apiBaseUrl: github.url, auth: "app", scopes: ["*"], connectedBy: "e2e", webhookUrl: `${e2e.server.url}/_/webhooks/github/acme/objects`, jobs: { accepted: 0, finished: 0, waiting: 0 } });
    expect(JSON.stringify(view)).not.toContain(SECRET);
  });

  it.each([
    ["no signature", { signature: null }, "signature-missing"],
    ["a wrong signature", { signature: `sha256=${"0".repeat(64)}` }, "signature-invalid"],
    ["only the legacy SHA-1 signature", { legacyOnly: true }, "signature-missing"],
    ["a signature made with another secret", { secret: "another-secret-0123456789" }, "signature-invalid"],
  ])("refuses a delivery with %s: 401, and nothing happens", async (_, variant, code) => {
    const before = github.requests.length;
    const taken = (await jobs()).accepted;
    const response = await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/main", "0".repeat(40), remoteHead("main")), secret: SECRET, ...variant });
    expect(response.status).toBe(401);
    const body = await response.text();
    expect(JSON.parse(body).code).toBe(code);
    expect(body).not.toMatch(/sha256=[0-9a-f]{64}/);
    // Only the barrier's job was taken, and it asked GitHub for nothing but an installation token.
    expect((await settle()).accepted).toBe(taken + 1);
    expect(github.requests.slice(before).filter((r) => !r.path.endsWith("/access_tokens")).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it("refuses deliveries to a repository that is not connected: no secret, fail closed", async () => {
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

  it("acknowledges a replayed delivery as a duplicate and does nothing twice", async () => {
    const sha = remoteHead("main");
    const taken = (await jobs()).accepted;
    const replay = await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/main", "0".repeat(40), sha), secret: SECRET, id: "delivery-1" });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ status: "duplicate", delivery: "delivery-1" });
    expect((await settle()).accepted).toBe(taken + 1);
    expect(checkRuns(sha)).toHaveLength(1);
  });

  it("publishes the remote's current head when deliveries arrive out of order, never moving backwards", async () => {
    const c1 = await pushToGitHub({ "hello.do.json": greeting("c1") }, "c1");
    const c2 = await pushToGitHub({ "hello.do.json": greeting("c2") }, "c2");
    await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/main", c1, c2), secret: SECRET });
    await eventually(async () => expect((await e2e.call("hello.do", "hello")).body.result).toBe("c2"));
    await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/main", "0".repeat(40), c1), secret: SECRET });
    await settle();
    expect((await e2e.call("hello.do", "hello")).body.result).toBe("c2");
    expect(checkRuns(c1)).toHaveLength(0);
  });

  it("follows a force-push, keeping the old commits addressable", async () => {
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

describe("more deliveries and giving up", () => {
  it("publishes a new tag once although both push and create announce it", async () => {
    const head = remoteHead("main");
    execFileSync("git", ["-C", bare(), "tag", "v1.3.0", head]);
    await Promise.all([
      deliver(hook, { event: "push", payload: pushPayload(repo, "refs/tags/v1.3.0", "0".repeat(40), head), secret: SECRET }),
      deliver(hook, { event: "create", payload: { ref: "v1.3.0", ref_type: "tag", master_branch: "main", repository: pushPayload(repo, "refs/tags/v1.3.0", "0".repeat(40), head).repository }, secret: SECRET }),
    ]);
    await eventually(async () => expect((await e2e.call("hello.do@v1.3.0", "hello")).status).toBe(200));
    await settle();
    const tagRuns = checkRuns(head).filter((run) => String(run.output.title).includes("v1.3.0"));
    expect(tagRuns).toHaveLength(1);
  });

  it("tears a branch's environment down when the branch is deleted", async () => {
    const sha = await pushToGitHub({ "hello.do.json": greeting("on a branch") }, "branch", "feature");
    await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/feature", "0".repeat(40), sha), secret: SECRET });
    await eventually(async () => expect((await e2e.call("hello.do@feature", "hello")).body.result).toBe("on a branch"));
    execFileSync("git", ["-C", bare(), "branch", "-D", "feature"]);
    await deliver(hook, { event: "push", payload: pushPayload(repo, "refs/heads/feature", sha, "0".repeat(40)), secret: SECRET });
    await eventually(async () => expect((await e2e.call("hello.do@feature", "hello")).status).toBe(404));
    execFileSync("git", ["-C", copy.dir, "reset", "-q", "--hard", "HEAD~1"]);
  });

  it("ignores a delivery whose repository id is not the connected one (renamed or transferred)", async () => {
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
