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
});
