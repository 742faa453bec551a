// The real `objects` binary as a test client: run in a folder, with its own config file and server URL.
import { execFile, spawn, type ChildProcess } from "node:child_process";

const BIN = new URL("../../bin/objects.mjs", import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Cli {
  run(args: string[], options?: { cwd?: string; env?: Record<string, string>; input?: string }): Promise<CliResult>;
  spawn(args: string[], options?: { cwd?: string }): ChildProcess;
}

const GIT_IDENTITY = { GIT_AUTHOR_NAME: "Ada Lovelace", GIT_AUTHOR_EMAIL: "ada@example.com", GIT_COMMITTER_NAME: "Ada Lovelace", GIT_COMMITTER_EMAIL: "ada@example.com", GIT_CONFIG_NOSYSTEM: "1" };

/** A CLI whose config lives in `configFile` and that talks to `url` unless a test says otherwise. */
export function cli(configFile: string, url: string): Cli {
  const env = (extra: Record<string, string> = {}) => {
    const base: Record<string, string | undefined> = { ...process.env, ...GIT_IDENTITY, OBJECTS_CONFIG: configFile, OBJECTS_URL: url, BROWSER: "", ...extra };
    delete base.OBJECTS_TOKEN;
    return { ...base, ...extra } as NodeJS.ProcessEnv;
  };
  return {
    run: (args, options = {}) =>
      new Promise((resolve) => {
        const child = execFile(process.execPath, [BIN, ...args], { cwd: options.cwd, env: env(options.env), maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
        child.stdin?.end(options.input ?? "");
      }),
    spawn: (args, options = {}) => spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: env(), stdio: ["ignore", "pipe", "pipe"] }),
  };
}
