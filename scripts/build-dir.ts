// Where `npm start` builds its Workers: a directory of its own per run. Two servers at once (the tests run two files
// at a time) must never read each other's half-written bundle, and a supervisor's restart re-reads the bundle from
// disk, so it must still be this run's. A run's directory goes when it exits; one left by a killed run, at the next start.
import { existsSync, readdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";

const PREFIX = "run-";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, it is only someone else's.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** This run's build directory under `root`, removed at exit, after the directories of runs no longer alive. */
export function runBuildDir(root: string): string {
  if (existsSync(root)) {
    for (const name of readdirSync(root)) {
      const pid = Number(name.slice(PREFIX.length));
      if (name.startsWith(PREFIX) && Number.isInteger(pid) && pid !== process.pid && !alive(pid)) rmSync(resolve(root, name), { recursive: true, force: true });
    }
  }
  const dir = resolve(root, `${PREFIX}${process.pid}`);
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
