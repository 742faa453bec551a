// `$.bashx`: a shell over the object's files with just-bash (a bash written in TypeScript): no host process runs.
// Each exec sees the files at `/`, read only when a command touches them; what it writes or deletes goes back.
import { Bash, InMemoryFs } from "just-bash/browser";
import type { ObjectFiles } from "./object-files.ts";

export const MAX_OUTPUT_CHARS = 1_048_576;
const MAX_EXEC_MS = 10_000;
/** Where just-bash keeps its own layout; never part of the object's files. */
const SYSTEM = /^\/(bin|usr|dev|proc|tmp|sys|etc)(\/|$)/;

export interface BashResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const cap = (text: string) => (text.length > MAX_OUTPUT_CHARS ? `${text.slice(0, MAX_OUTPUT_CHARS)}\n[output truncated]` : text);

/** The $.bashx of one object. */
export function createBashx(files: ObjectFiles) {
  return {
    async exec(command: string): Promise<BashResult> {
      const before = new Map((await files.entries()).map((entry) => [`/${entry.path}`, entry.mtime]));
      const fs = new InMemoryFs();
      for (const [path, mtime] of before) fs.writeFileLazy(path, () => files.readBytes(path), { mtime: new Date(mtime) });
      const bash = new Bash({
        fs,
        cwd: "/",
        executionLimitProfile: "hardened",
        executionLimits: { maxExecutionTimeMs: MAX_EXEC_MS, maxOutputSize: MAX_OUTPUT_CHARS, maxCommandCount: 20_000 },
      });
      const result = await bash.exec(command);
      const problems: string[] = [];
      const after = new Set<string>();
      for (const path of fs.getAllPaths()) {
        if (SYSTEM.test(path)) continue;
        const stat = await fs.stat(path).catch(() => null);
        if (!stat?.isFile) continue;
        after.add(path);
        // A file the command never wrote keeps the time it was loaded with.
        if (before.get(path) === stat.mtime.getTime()) continue;
        try {
          await files.write(path, await fs.readFileBuffer(path));
        } catch (error) {
          problems.push(`bashx: ${path}: ${(error as Error).message}`);
        }
      }
      for (const path of before.keys()) if (!after.has(path)) await files.delete(path);
      return { stdout: cap(result.stdout), stderr: cap(result.stderr + problems.map((p) => `${p}\n`).join("")), exitCode: problems.length && result.exitCode === 0 ? 1 : result.exitCode };
    },
  };
}
