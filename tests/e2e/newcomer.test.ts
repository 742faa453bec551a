// A newcomer's first minutes on a port other than 8787: npm start on a taken port, and the CLI's errors saying what
// to do (expired token, nothing committed, a typo, a refused push), with no --url and no OBJECTS_URL anywhere.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDevVars } from "../../scripts/dev-vars.mjs";
import { cli, type Cli } from "../support/cli.ts";
import { startE2E, type E2E } from "../support/e2e.ts";
import { workingCopy } from "../support/git.ts";

let e2e: E2E;
let home: string;
let objects: Cli;
const root = new URL("../..", import.meta.url).pathname;
beforeAll(async () => {
  e2e = await startE2E();
  home = mkdtempSync(join(tmpdir(), "objects-newcomer-"));
  objects = cli(join(home, "config.json"), "");
});
afterAll(async () => {
  rmSync(home, { recursive: true, force: true });
  await e2e?.stop();
});

/** The CLI as a newcomer runs it: the server's URL only from what npm start wrote. */
const run = (args: string[], cwd?: string) => objects.run(args, { ...(cwd ? { cwd } : {}), env: { OBJECTS_URL: "", OBJECTS_STATE_DIR: e2e.stateDir } });

describe("npm start on a port already in use", () => {
  it("says so in one line and exits 1 before building", () => {
    const second = spawnSync("npm", ["start", "--", "--persist-to", join(home, "second")], { cwd: root, env: { ...process.env, PORT: String(e2e.server.port) }, encoding: "utf8", timeout: 60_000 });
    expect(second.status).toBe(1);
    // The one line and nothing else: no stack, nothing of a server starting.
    expect(second.stderr.trim()).toBe(`objects.do: port ${e2e.server.port} is in use (another npm start?): stop it, or start on another port with PORT=<port> npm start`);
  }, 60_000);
});

describe("the CLI on a non-default port", () => {
  it("signs in to the running server it finds, with no URL given", async () => {
    const login = await run(["login", "--token", await e2e.token()]);
    expect(login.stdout).toContain(`signed in to http://localhost:${e2e.server.port}`);
    expect(login.code).toBe(0);
  });

  it("refuses a push with an expired token before git runs, saying to log in (exit 3)", async () => {
    const secret = parseDevVars(readFileSync(join(root, ".dev.vars"), "utf8")).JWT_SECRET!;
    const expired = await new SignJWT({ scope: "*" }).setProtectedHeader({ alg: "HS256" }).setSubject("e2e").setIssuer("objects.do").setAudience("objects.do").setIssuedAt(1_700_000_000).setExpirationTime(1_700_000_060).sign(new TextEncoder().encode(secret));
    const repo = await workingCopy({ fixture: "acme" });
    await repo.commit("first");
    const push = await objects.run(["push"], { cwd: repo.dir, env: { OBJECTS_URL: "", OBJECTS_STATE_DIR: e2e.stateDir, OBJECTS_TOKEN: expired } });
    expect(push.code).toBe(3);
    expect(push.stderr).toContain("does not accept the stored token (expired, or signed for another server): run objects login");
    expect(push.stderr).not.toMatch(/could not read Username|remote: lines above/);
    repo.remove();
  });

  it("asks for a commit first in a repository with none (exit 2)", async () => {
    const repo = await workingCopy();
    const push = await run(["push"], repo.dir);
    expect(push.code).toBe(2);
    expect(push.stderr).toContain("this repository has no commits yet: commit first");
    expect(push.stderr).not.toContain("src refspec");
    repo.remove();
  });

  it("suggests the command or option meant (exit 2)", async () => {
    const typo = await run(["pussh"]);
    expect([typo.code, typo.stderr.trim()]).toEqual([2, 'objects: unknown command "pussh" (did you mean push?): run objects help']);
    const option = await run(["validate", "--againts", "latest"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option --againts (did you mean --against?)");
  });

  it("says how many problems refused a push, each located in the remote: lines (exit 1)", async () => {
    const repo = await workingCopy();
    await repo.commit("broken", { "broken.do.json": '{"api": {"hi": "async () => 1",}}\n' });
    const push = await run(["push", "--repo", "newcomer-broken"], repo.dir);
    expect(push.code).toBe(1);
    expect(push.stderr).toContain("broken.do.json:1:32 JSON: a key in double quotes was expected (a trailing comma, or a key without quotes?)");
    expect(push.stderr).toContain("objects: the push was refused: 1 problem(s), in the remote: lines above");
    repo.remove();
  });

  it("publishes an id another repository owns only when the push says --take-over", async () => {
    const owner = await workingCopy();
    await owner.commit("owner", { "owned.do.json": '{"api": {"hi": "async () => 1"}}\n' });
    expect((await run(["push", "--repo", "newcomer-owner"], owner.dir)).code).toBe(0);
    const other = await workingCopy();
    await other.commit("other", { "owned.do.json": '{"api": {"hi": "async () => 2"}}\n' });
    const refused = await run(["push", "--repo", "newcomer-other"], other.dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("owned.do: published from the repository newcomer-owner, not from newcomer-other");
    const taken = await run(["push", "--repo", "newcomer-other", "--take-over", "owned.do"], other.dir);
    expect(taken.code).toBe(0);
    expect((await e2e.call("owned.do", "hi")).body.result).toBe(2);
    // A PUT over a git-published object says whose it is.
    const put = await fetch(`${e2e.server.url}/owned.do`, { method: "PUT", headers: { authorization: `Bearer ${await e2e.token()}` }, body: JSON.stringify({ api: { hi: "async () => 3" } }) });
    expect(await put.json()).toMatchObject({ owner: { source: "git", repo: "newcomer-other" }, warnings: [{ code: "overwrote-git", message: expect.stringContaining("the next push from newcomer-other replaces it again") }] });
    owner.remove();
    other.remove();
  });
});

describe("GET / on the platform host", () => {
  it("is a landing page for a browser, with commands for this origin, and links for an API client", async () => {
    const page = await fetch(`${e2e.server.url}/`, { headers: { accept: "text/html,application/xhtml+xml" } });
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const link of ['href="/_/dashboard"', 'href="/_/health"', "Publish with git push"]) expect(html).toContain(link);
    expect(html).toContain(`curl -X PUT ${e2e.server.url}/my-app.do`);
    const api = await fetch(`${e2e.server.url}/`, { headers: { accept: "application/json" } });
    expect(await api.json()).toMatchObject({ dashboard: `${e2e.server.url}/_/dashboard`, health: `${e2e.server.url}/_/health` });
    // Any other path without an object is still a problem.
    expect((await fetch(`${e2e.server.url}/nope`)).status).toBe(404);
  });
});

describe("the CLI's HTTP client and a 422", () => {
  it("prints each located problem of the server's answer on its own line, exit 1", async () => {
    const { request } = await import("../../cli/api.ts");
    const { CliError } = await import("../../cli/errors.ts");
    const body = { api: { hi: "async () => { return 1 +; }" } };
    const failure = await request({ url: e2e.server.url, token: await e2e.token() }, "PUT", "/broken-put.do", body).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CliError);
    const { message, exitCode } = failure as InstanceType<typeof CliError>;
    expect(exitCode).toBe(1);
    expect(message.split("\n").slice(1)).toEqual([expect.stringMatching(/^\/api\/hi SyntaxError: /)]);
    expect(message).toMatch(/\(422 definition-invalid\)$/);
  });
});
