import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";

let e2e: E2E;
let cwd: string;
beforeAll(async () => {
  e2e = await startE2E();
  cwd = mkdtempSync(join(tmpdir(), "objects-readme-"));
});
afterAll(async () => {
  if (cwd) rmSync(cwd, { recursive: true, force: true });
  await e2e?.stop();
});

/** The README's "Publish with git push" block, exactly as a reader copies it. */
function gitQuickStart(): string {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const block = /<!-- git-quickstart -->\n```\n([\s\S]*?)```\n<!-- \/git-quickstart -->/.exec(readme);
  if (!block) throw new Error("README.md has no git-quickstart block");
  return block[1]!;
}

describe("the README's git walk-through, run verbatim against npm start", () => {
  it("publishes on push, answers the call, tags a version and clones back the same commits", async () => {
    // Verbatim, on the server's free port given as PORT (the block writes localhost:${PORT:-8787}).
    const script = gitQuickStart();
    expect(script).not.toContain("localhost:8787");
    const env = { ...process.env, PORT: String(e2e.server.port), TOKEN: await e2e.token(), HOME: cwd, GIT_CONFIG_NOSYSTEM: "1", GIT_AUTHOR_NAME: "Ada", GIT_AUTHOR_EMAIL: "ada@example.com", GIT_COMMITTER_NAME: "Ada", GIT_COMMITTER_EMAIL: "ada@example.com" };
    const { stdout, stderr } = await promisify(execFile)("bash", ["-euo", "pipefail", "-c", script], { cwd, env });
    expect(stderr).toMatch(/remote: crm\.acme\.com\s+published\s+http:\/\/localhost:\d+\/crm\.acme\.com@[0-9a-f]{7}/);
    expect(stderr).toMatch(/remote: greeter\.do\s+published/);
    expect(stderr).toMatch(/greeter\.do@v1\.0\.0/);
    expect(stdout).toMatch(/"result":\{"name":"Ada","id":"[0-9a-f-]{36}"\}/);
    expect(stdout).toMatch(/commit [0-9a-f]{40}[\s\S]*first/);
    expect((await e2e.call("crm.acme.com@v1.0.0", "customers.create", [{ name: "Bo" }])).body.result).toMatchObject({ name: "Bo" });
    expect((await e2e.call("crm.acme.com", "customers.create", [{ name: "Cy" }])).status).toBe(200);
  });
});
