import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), "objects-bundle-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// What `npm run deploy` uploads, built without any network: proves the production bundle builds, fits, and binds.
describe("the production bundle (wrangler deploy --dry-run)", () => {
  it("builds offline, fits Cloudflare's size limit, and declares every binding the Worker uses", async () => {
    const { stdout } = await run("npx", ["wrangler", "deploy", "--dry-run", "--outdir", out], { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: "false" }, maxBuffer: 16 * 1024 * 1024 });
    const bundle = join(out, "worker.js");
    expect(existsSync(bundle)).toBe(true);
    const code = readFileSync(bundle);
    // The Workers Free plan allows 3 MB compressed (Paid: 10 MB).
    expect(gzipSync(code).length).toBeLessThan(3 * 1024 * 1024);
    for (const binding of ["REF_SHARDS (RefShardDO)", "REFS (RefsDO)", "OBJECTS (ObjectDO)", "REPOS (RepoDO)", "SOURCES (SourceDO)", "CONNECTIONS (ConnectionsDO)", "HOSTS (HostnamesDO)", "LIMITERS (LimiterDO)", "INDEX (ObjectIndexDO)", "JOBS (objects-do-jobs)", "SNAPSHOTS (objects-do-snapshots)", "LOADER"]) {
      expect(stdout).toContain(`env.${binding}`);
    }
    const text = code.toString();
    for (const exported of ["RefShardDO", "RefsDO", "ObjectDO", "RepoDO", "SourceDO", "ConnectionsDO", "HostnamesDO", "LimiterDO", "ObjectIndexDO", "Hub"]) {
      expect(text).toMatch(new RegExp(`export\\s*\\{[^}]*\\b${exported}\\b`));
    }
  }, 120_000);
});
