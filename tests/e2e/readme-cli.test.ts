import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";

let e2e: E2E;
let home: string;
const root = new URL("../..", import.meta.url).pathname;
beforeAll(async () => {
  e2e = await startE2E();
  home = mkdtempSync(join(tmpdir(), "objects-readme-cli-"));
});
afterAll(async () => {
  if (home) rmSync(home, { recursive: true, force: true });
  await e2e?.stop();
});

/** The README's CLI block, exactly as a reader copies it. */
function cliQuickStart(): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const block = /<!-- cli-quickstart -->\n```\n([\s\S]*?)```\n<!-- \/cli-quickstart -->/.exec(readme);
  if (!block) throw new Error("README.md has no cli-quickstart block");
  return block[1]!;
}

describe("the README's CLI walk-through, run verbatim against npm start", () => {
  it("installs the command, signs in, scaffolds, validates, pushes and calls", async () => {
    // `npm install -g` goes to a prefix of the test's own; the CLI finds the server's non-default port where npm start
    // wrote it (its OBJECTS_STATE_DIR), as on a reader's machine: no OBJECTS_URL, no --url.
    const prefix = join(home, "npm-global");
    const env = {
      ...process.env,
      HOME: home,
      npm_config_prefix: prefix,
      PATH: `${join(prefix, "bin")}:${process.env.PATH}`,
      OBJECTS_STATE_DIR: e2e.stateDir,
      OBJECTS_CONFIG: join(home, ".config", "objects", "config.json"),
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "Ada",
      GIT_AUTHOR_EMAIL: "ada@example.com",
      GIT_COMMITTER_NAME: "Ada",
      GIT_COMMITTER_EMAIL: "ada@example.com",
    };
    delete (env as Record<string, string | undefined>).OBJECTS_TOKEN;
    delete (env as Record<string, string | undefined>).OBJECTS_URL;
    const { stdout, stderr } = await promisify(execFile)("bash", ["-euo", "pipefail", "-c", cliQuickStart()], { cwd: root, env, maxBuffer: 16 * 1024 * 1024 });
    expect(stdout).toContain(`signed in to http://localhost:${e2e.server.port} as local-developer`);
    expect(stdout).toContain("2 object(s) valid: crm.shop.example.com, hello.do");
    expect(stderr).toMatch(/remote: hello\.do\s+published\s+http:\/\/localhost:\d+\/hello\.do@[0-9a-f]{7}/);
    expect(stdout).toContain('"Hello World!"');
    expect(stdout).toMatch(/\*1\s+\S+\s+[0-9a-f]{12}\s+-\s+latest\s+shop@[0-9a-f]{7}\s+Ada\s+first objects/);
  }, 120_000);
});
