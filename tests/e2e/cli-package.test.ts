// The CLI as a user installs it: `npm pack`'s tarball installed into a clean prefix, run by plain Node (no tsx, no
// sources: the bundle scripts/build-cli.mjs made at pack time).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
let dir: string;
let installed: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "objects-pack-"));
  const { stdout } = await run("npm", ["pack", "--pack-destination", dir, "--silent"], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  const tarball = join(dir, stdout.trim().split("\n").at(-1)!);
  // From npm's cache (npm ci filled it): the install needs no network, and the CLI no package's install script.
  await run("npm", ["install", "-g", "--prefix", join(dir, "prefix"), tarball, "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  installed = join(dir, "prefix", "lib", "node_modules", "objects.do");
}, 240_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The installed `objects`, with a PATH that holds node and git but nothing of this checkout. */
const objects = (args: string[]) =>
  run(join(dir, "prefix", "bin", "objects"), args, { cwd: dir, env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: dir } as unknown as NodeJS.ProcessEnv }).then(
    (result) => ({ code: 0, ...result }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

describe("the CLI installed from npm pack's tarball", () => {
  it("holds the bundle and no TypeScript, and installs no tsx", () => {
    expect(existsSync(join(installed, "dist", "cli", "index.js"))).toBe(true);
    expect(existsSync(join(installed, "cli"))).toBe(false);
    expect(readdirSync(join(installed, "node_modules"))).not.toContain("tsx");
  });

  it("runs its commands on plain Node", async () => {
    expect((await objects(["--version"])).stdout.trim()).toBe("objects 0.1.0");
    const valid = await objects(["validate", join(root, "tests", "fixtures", "acme")]);
    expect([valid.code, valid.stdout.trim()]).toEqual([0, "2 object(s) valid: crm.acme.com, hello.do"]);
    const typo = await objects(["vaildate"]);
    expect([typo.code, typo.stderr.trim()]).toEqual([2, 'objects: unknown command "vaildate" (did you mean validate?): run objects help']);
  });
});
