// `npm start` builds into a directory of its own per run, so two servers at once never read each other's bundle.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runBuildDir } from "../../scripts/build-dir.ts";

describe("a run's build directory", () => {
  it("is this process's own, and clears the directories of runs that are gone, never those of live ones", () => {
    const root = mkdtempSync(join(tmpdir(), "build-dir-"));
    // A process that has exited: its pid names a run that is gone.
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
    for (const pid of [gone, process.ppid]) mkdirSync(join(root, `run-${pid}`, "wrangler-jsonc"), { recursive: true });
    mkdirSync(join(root, "wrangler-jsonc"));
    const dir = runBuildDir(root);
    expect(dir).toBe(join(root, `run-${process.pid}`));
    expect(existsSync(join(root, `run-${gone}`))).toBe(false);
    expect(existsSync(join(root, `run-${process.ppid}`))).toBe(true);
    expect(existsSync(join(root, "wrangler-jsonc"))).toBe(true);
  });
});
