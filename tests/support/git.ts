// The real git CLI as a test client: repositories built from plain fixture files with fixed authors and dates.
import { execFile, type ExecFileException } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A working copy in a temporary folder, driven by the real `git`. */
export interface WorkingCopy {
  dir: string;
  git(...args: string[]): Promise<GitResult>;
  /** Writes (string) or deletes (null) files, then commits them all. */
  commit(message: string, files?: Record<string, string | null>): Promise<string>;
  remove(): void;
}

// Fixed identities and dates make commit shas the same on every run.
let tick = 0;
const identity = () => {
  const date = `2026-01-01T00:00:${String(tick++ % 60).padStart(2, "0")}Z`;
  return { GIT_AUTHOR_NAME: "Ada Lovelace", GIT_AUTHOR_EMAIL: "ada@example.com", GIT_AUTHOR_DATE: date, GIT_COMMITTER_NAME: "Ada Lovelace", GIT_COMMITTER_EMAIL: "ada@example.com", GIT_COMMITTER_DATE: date };
};

/** A new working copy, optionally holding a fixture's files, with `objects` as a remote authenticated by `token`. */
export async function workingCopy(options: { fixture?: string; remote?: string; token?: string } = {}): Promise<WorkingCopy> {
  const dir = mkdtempSync(join(tmpdir(), "objects-git-"));
  const env = { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_NOSYSTEM: "1", HOME: dir, ...identity() };
  const git = async (...args: string[]): Promise<GitResult> => {
    const auth = options.token ? ["-c", `http.extraHeader=Authorization: Bearer ${options.token}`] : [];
    try {
      const { stdout, stderr } = await run("git", [...auth, ...args], { cwd: dir, env: { ...env, ...identity() }, maxBuffer: 64 * 1024 * 1024 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failure = error as ExecFileException & { stdout: string; stderr: string };
      return { code: typeof failure.code === "number" ? failure.code : 1, stdout: failure.stdout, stderr: failure.stderr };
    }
  };
  await git("init", "-q", "-b", "main");
  if (options.fixture) cpSync(join(FIXTURES, options.fixture), dir, { recursive: true });
  if (options.remote) await git("remote", "add", "objects", options.remote);
  return {
    dir,
    git,
    async commit(message, files = {}) {
      for (const [path, content] of Object.entries(files)) {
        if (content === null) rmSync(join(dir, path), { force: true });
        else {
          mkdirSync(dirname(join(dir, path)), { recursive: true });
          writeFileSync(join(dir, path), content);
        }
      }
      await git("add", "-A");
      const result = await git("commit", "-q", "--allow-empty", "-m", message);
      if (result.code !== 0) throw new Error(`git commit failed: ${result.stderr}`);
      return (await git("rev-parse", "HEAD")).stdout.trim();
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The `remote:` lines of a push's output, without git's prefix and padding. */
export const remoteLines = (result: GitResult) =>
  result.stderr
    .split("\n")
    .filter((line) => line.startsWith("remote: "))
    .map((line) => line.slice("remote: ".length).trim());
