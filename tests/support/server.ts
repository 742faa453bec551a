// Starts `npm start` (wrangler dev) on a free port for e2e tests and benchmarks, and stops its whole process group.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export interface Server {
  port: number;
  url: string;
  process: ChildProcess;
  /** Everything the server printed so far (for the message of a failing test). */
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${url}/_/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`npm start did not answer within ${timeoutMs} ms:\n${output()}`);
}

type ServerOptions = { persistTo: string; env?: Record<string, string>; command?: (port: number) => string[]; /** Another checkout to run in (bench/ab.ts). */ cwd?: string };

/**
 * Runs `npm start -- --persist-to <dir>` with PORT set, as a user would (or another command), and waits for
 * /_/health. A free port can be taken by another process before the server binds it: that is retried.
 */
export async function startServer(options: ServerOptions): Promise<Server> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      // workerd's own words, or serve.ts's check before it builds ("port <n> is in use").
      if (attempt >= 3 || !/Address already in use|port \d+ is in use/.test(String((error as Error).message))) throw error;
    }
  }
}

async function startOnce(options: ServerOptions): Promise<Server> {
  const port = await freePort();
  const root = options.cwd ?? new URL("../..", import.meta.url).pathname;
  const command = options.command?.(port) ?? ["npm", "start", "--", "--persist-to", options.persistTo];
  const child = spawn(command[0]!, command.slice(1), { cwd: root, detached: true, env: { ...process.env, PORT: String(port), OBJECTS_STATE_DIR: options.persistTo, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout!.on("data", (chunk) => (log += chunk));
  child.stderr!.on("data", (chunk) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      return;
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
  };
  try {
    await waitUntilUp(url, child, () => log, 90_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, url, process: child, output: () => log, stop };
}
