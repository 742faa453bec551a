import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, type Cli } from "../support/cli.ts";
import { startE2E, type E2E } from "../support/e2e.ts";

let e2e: E2E;
let objects: Cli;
let home: string;
let repo: string;
const CRM = "crm.shop.example.com";

beforeAll(async () => {
  e2e = await startE2E();
  home = mkdtempSync(join(tmpdir(), "objects-cli-"));
  repo = join(home, "shop");
  objects = cli(join(home, "config", "objects.json"), e2e.server.url);
});
afterAll(async () => {
  rmSync(home, { recursive: true, force: true });
  await e2e?.stop();
});

const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, env: { ...process.env, GIT_AUTHOR_NAME: "Ada", GIT_AUTHOR_EMAIL: "ada@example.com", GIT_COMMITTER_NAME: "Ada", GIT_COMMITTER_EMAIL: "ada@example.com" }, encoding: "utf8" }).trim();
const json = <T>(result: { stdout: string }) => JSON.parse(result.stdout) as T;

describe("objects CLI (the real binary against npm start)", () => {
  it("init scaffolds one object per layout with $schema, a README and a git repository", async () => {
    const result = await objects.run(["init", repo]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${CRM}/do.yaml`);
    const hello = JSON.parse(readFileSync(join(repo, "hello.do.json"), "utf8")) as { $schema: string };
    expect(hello.$schema).toBe(`${e2e.server.url}/_/schemas/definition.schema.json`);
    expect(readFileSync(join(repo, CRM, "do.yaml"), "utf8")).toContain(`# yaml-language-server: $schema=${e2e.server.url}/_/schemas/definition.schema.json`);
    expect(git("symbolic-ref", "--short", "HEAD")).toBe("main");
    const schema = await fetch(hello.$schema);
    expect(schema.headers.get("content-type")).toBe("application/schema+json");
    expect(((await schema.json()) as { properties: Record<string, unknown> }).properties).toHaveProperty("api");
    expect((await objects.run(["init", repo])).code).toBe(1);
  });

  it("validate compiles with the server's compiler: every problem at file:line:col, exit 1", async () => {
    const ok = await objects.run(["validate", repo]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`2 object(s) valid: ${CRM}, hello.do`);
    writeFileSync(join(repo, CRM, "api", "broken.js"), "export default async (a) => {\n  const b = a +;\n}\n");
    writeFileSync(join(repo, "bad.do.json"), '{"api": {"x": 1}}');
    const bad = await objects.run(["validate", repo]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${CRM}/api/broken.js:2:16 SyntaxError`);
    expect(bad.stderr).toMatch(/bad\.do\.json:1:\d+ /);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const data = json<{ ok: boolean; data: { issues: Array<{ file: string }> } }>(await objects.run(["validate", repo, "--json"]));
    expect(data.ok).toBe(false);
    expect(data.data.issues.map((issue) => issue.file).sort()).toEqual(["bad.do.json", `${CRM}/api/broken.js`]);
    rmSync(join(repo, CRM, "api", "broken.js"));
    rmSync(join(repo, "bad.do.json"));
  });

  it("login checks the token and stores it (0600); token prints it; a bad token is exit 3", async () => {
    const bad = await objects.run(["login", "--token", "not-a-jwt"]);
    expect(bad.code).toBe(3);
    expect(bad.stderr.trim().split("\n").at(-1)).toBe("objects: the token is not a valid JWT (401 token-invalid)");
    const token = await e2e.token();
    const login = await objects.run(["login"], { input: `${token}\n` });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain(`signed in to ${e2e.server.url} as e2e`);
    expect(statSync(join(home, "config", "objects.json")).mode & 0o777).toBe(0o600);
    expect((await objects.run(["token"])).stdout.trim()).toBe(token);
  });

  it("push configures the remote on first use and publishes the commit", async () => {
    git("add", "-A");
    git("commit", "-qm", "first");
    const push = await objects.run(["push", "--json"], { cwd: repo });
    expect(push.code, push.stderr).toBe(0);
    const data = json<{ remote: string; objects: Array<{ id: string; status: string }> }>(push);
    expect(data.remote).toBe(`${e2e.server.url}/_/git/shop.git`);
    expect(data.objects.map((o) => `${o.id} ${o.status}`)).toEqual([`${CRM} published`, "hello.do published"]);
    expect(git("remote", "get-url", "objects")).toBe(data.remote);
    expect(readFileSync(join(repo, ".git", "config"), "utf8")).not.toContain("Bearer");
  });

  it("call sends JSON or string params and prints the result; a missing method is exit 4", async () => {
    const hello = await objects.run(["call", "hello.do", "hello", "World"]);
    expect(hello.code, hello.stderr).toBe(0);
    expect(hello.stdout.trim()).toBe('"Hello World!"');
    const created = json<{ result: { name: string } }>(await objects.run(["call", CRM, "customers.create", '{"name":"Ada"}', "--json"]));
    expect(created.result.name).toBe("Ada");
    const missing = await objects.run(["call", "hello.do", "nope"]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toBe('objects: hello.do@latest has no method "nope" (404 method-not-found)\n');
  });

  it("versions lists publications with their commit; validate --against shows the contract diff", async () => {
    const versions = await objects.run(["versions", "hello.do"]);
    expect(versions.code, versions.stderr).toBe(0);
    expect(versions.stdout).toMatch(new RegExp(`shop@${git("rev-parse", "--short=7", "HEAD")}`));
    writeFileSync(join(repo, "hello.do.json"), JSON.stringify({ api: { hello: "async (name, greeting) => `${greeting} ${name}!`", bye: "async () => 'bye'" } }));
    const against = await objects.run(["validate", repo, "--against", "latest"]);
    expect(against.code, against.stderr).toBe(0);
    expect(against.stdout).toContain("hello.do against @latest: 4 change(s), 2 breaking");
    expect(against.stdout).toContain("  ~ method hello(name, greeting) (was hello(name) → string)  BREAKING");
    expect(against.stdout).toContain("  + method bye()");
    expect((await objects.run(["validate", repo, "--against", "latest", "--fail-on-breaking"])).code).toBe(1);
  });

  it("rollback and promote move latest and print what that changes in the contract", async () => {
    const first = git("rev-parse", "HEAD");
    git("add", "-A");
    git("commit", "-qm", "second: hello takes a greeting");
    const push = await objects.run(["push"], { cwd: repo });
    expect(push.code, push.stderr).toBe(0);
    expect(push.stderr).toContain("remote: contract of hello.do: 4 change(s), 2 breaking");
    expect((await objects.run(["call", "hello.do", "hello", "Ada", "Hi"])).stdout.trim()).toBe('"Hi Ada!"');

    const rollback = await objects.run(["rollback", "hello.do", first.slice(0, 7)]);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(rollback.stdout).toContain(`(rolled back to ${first.slice(0, 7)})`);
    expect(rollback.stdout).toContain("  - method bye()  BREAKING");
    expect((await objects.run(["call", "hello.do", "hello", "Ada"])).stdout.trim()).toBe('"Hello Ada!"');

    const promote = await objects.run(["promote", "hello.do", git("rev-parse", "--short=7", "HEAD"), "--json"]);
    expect(promote.code, promote.stderr).toBe(0);
    expect(json<{ diff: { breaking: boolean } }>(promote).diff.breaking).toBe(true);
    expect((await objects.run(["call", "hello.do", "bye"])).stdout.trim()).toBe('"bye"');
    expect((await objects.run(["rollback", "hello.do", "v9.9.9"])).code).toBe(4);

    const diff = await objects.run(["diff", "hello.do", first.slice(0, 7)]);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain(`hello.do ${first.slice(0, 7)} → latest: 4 change(s), 2 breaking`);
    expect(diff.stdout).toContain("  ~ method hello(name, greeting) (was hello(name) → string)  BREAKING");
    expect((await objects.run(["diff", "hello.do", "nope!"])).code).toBe(1);
  });

  it("logs shows calls (failures marked) and --follow prints new ones as they happen", async () => {
    await objects.run(["call", CRM, "customers.create", '{"name":"Grace"}']);
    await objects.run(["call", CRM, "customers.create", "not json"]);
    const logs = await objects.run(["logs", CRM]);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/call\s+ {2}customers\.create @latest ok [\d.]+ ms/);
    expect(logs.stdout).toMatch(/event\s+ {2}Customer\.created → Customer\.created ok/);
    // Calls reach the log in a batch about two seconds after they were answered.
    let errors: Array<{ kind: string; ok: boolean }> = [];
    for (let i = 0; i < 40 && errors.length === 0; i++) {
      errors = json<Array<{ kind: string; ok: boolean }>>(await objects.run(["logs", CRM, "--errors", "--json"]));
      if (errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((record) => !record.ok)).toBe(true);

    const follow = objects.spawn(["logs", "hello.do", "--follow", "--json"]);
    let seen = "";
    follow.stdout!.on("data", (chunk: Buffer) => (seen += chunk));
    // Following has begun once it printed the records there already are.
    for (let i = 0; i < 100 && seen === ""; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).not.toBe("");
    await objects.run(["call", "hello.do", "nope-followed"]);
    for (let i = 0; i < 100 && !seen.includes("nope-followed"); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    follow.kill("SIGINT");
    const line = seen.split("\n").find((text) => text.includes("nope-followed"))!;
    expect(JSON.parse(line)).toMatchObject({ kind: "call", name: "nope-followed", ok: false });
  });

  it("open prints the site URL, hands it to $BROWSER, and can point at the dashboard", async () => {
    expect((await objects.run(["open", CRM, "--print"])).stdout.trim()).toBe(`${e2e.server.url}/${CRM}@latest/`);
    const opened = join(home, "opened.txt");
    const browser = join(home, "browser.sh");
    writeFileSync(browser, `#!/bin/sh\necho "$1" > ${opened}\n`);
    chmodSync(browser, 0o755);
    expect((await objects.run(["open", "hello.do@v1", "--dashboard"], { env: { BROWSER: browser } })).code).toBe(0);
    for (let i = 0; i < 50 && !statSync(opened, { throwIfNoEntry: false }); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readFileSync(opened, "utf8").trim()).toBe(`${e2e.server.url}/_/dashboard#hello.do`);
    const page = await fetch(`${e2e.server.url}/${CRM}@latest/`, { headers: { accept: "text/html" } });
    expect(await page.text()).toContain("Customers so far: 2");
  });

  it("rollout prints the steps and both versions' calls, pauses and aborts; usage and retire act on the evidence", async () => {
    const headers = { authorization: `Bearer ${await e2e.token()}` };
    const put = (body: object) => fetch(`${e2e.server.url}/ramp.do`, { method: "PUT", headers, body: JSON.stringify(body) });
    expect((await objects.run(["rollout", "ramp.do"])).code).toBe(4);
    expect((await put({ $version: "1.0.0", api: { which: "async () => 1" } })).status).toBe(201);
    expect((await objects.run(["rollout", "ramp.do"])).stdout).toContain("ramp.do: no rollout yet");
    expect((await put({ $version: "2.0.0", api: { which: "async () => 2" }, config: { rollout: { steps: [25, 100], interval: "1h", methods: ["which"] } } })).status).toBe(201);
    // The CLI's own calls carry its token, so they all stay on one side: anonymous calls spread over both.
    for (let i = 0; i < 8; i++) expect((await fetch(`${e2e.server.url}/ramp.do/rpc`, { method: "POST", body: '{"method":"which"}' })).status).toBe(200);
    const status = await objects.run(["rollout", "ramp.do"]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^ramp\.do: progressing at 25% \(step 1 of 2\), next analysis at \d{4}-/);
    expect(status.stdout).toContain("steps 25→100% every 1h while error rate ≤ 1% and p99 ≤ 500 ms; methods which");
    expect(status.stdout).toMatch(/canary\s+[0-9a-f]{12}\s+\d+/);
    expect(status.stdout).toMatch(/started\s+25%\s+by e2e/);
    const paused = await objects.run(["rollout", "ramp.do", "pause", "--reason", "checking"]);
    expect(paused.stdout).toMatch(/paused\s+25%\s+by e2e; checking/);
    expect((await objects.run(["rollout", "ramp.do", "sideways"])).code).toBe(2);
    const aborted = await objects.run(["rollout", "ramp.do", "abort", "--json"]);
    expect(json<{ rollout: { status: string } }>(aborted).rollout.status).toBe("aborted");
    expect((await objects.run(["rollout", "ramp.do", "abort"])).code).toBe(1);

    // v2 never reached latest; once nothing names it, retire it with force (calls reached it during the rollout).
    for (let i = 0; i < 50; i++) {
      const report = json<{ total: { calls: number } }>(await objects.run(["usage", "ramp.do", "--json"]));
      if (report.total.calls >= 8) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const usage = await objects.run(["usage", "ramp.do"]);
    expect(usage.stdout).toMatch(/^ramp\.do: 8 calls \(0 failed\)/);
    const refused = await objects.run(["retire", "ramp.do", "v2.0.0"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/answered \d+ calls in the last 30 days/);
    const retired = await objects.run(["retire", "ramp.do", "v2.0.0", "--force"]);
    expect(retired.stdout).toMatch(/^ramp\.do: v2\.0\.0 retired, it answers 410; it answered \d+ calls/);
    expect((await objects.run(["call", "ramp.do@v2.0.0", "which"])).code).toBe(4);
  });

  it("fails in one line with the documented exit codes: usage 2, not signed in 3, unreachable 5", async () => {
    const usage = await objects.run(["call", "hello.do"]);
    expect([usage.code, usage.stderr]).toEqual([2, "objects: missing arguments: usage: objects call <id[@ref]> <method> [params…]\n"]);
    expect((await objects.run(["versions", "hello.do", "--bogus"])).code).toBe(2);
    expect((await objects.run(["frobnicate"])).code).toBe(2);
    const signedOut = cli(join(home, "elsewhere.json"), e2e.server.url);
    const noToken = await signedOut.run(["versions", "hello.do"]);
    expect([noToken.code, noToken.stderr]).toEqual([3, "objects: not signed in: run objects login --token <token> (or set OBJECTS_TOKEN)\n"]);
    const down = await objects.run(["call", "hello.do", "hello", "--url", "http://127.0.0.1:9"]);
    expect(down.code).toBe(5);
    expect(down.stderr).toMatch(/^objects: cannot reach http:\/\/127\.0\.0\.1:9: .+\n$/);
    const asJson = json<{ ok: boolean; exitCode: number }>(await objects.run(["call", "hello.do", "hello", "--url", "http://127.0.0.1:9", "--json"]));
    expect(asJson).toMatchObject({ ok: false, exitCode: 5 });
    expect((await objects.run(["logout"])).code).toBe(0);
    expect((await objects.run(["token"])).code).toBe(3);
  });
});
