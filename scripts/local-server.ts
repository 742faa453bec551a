// Where a running `npm start` says it answers, so the CLI finds it on any port (cli/local-server.ts reads it), and
// whether a port is taken before anything is built.
import { createServer } from "node:net";
import { localServerFile, type LocalServer } from "../cli/local-server.ts";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** True when something already listens on host:port. */
export function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "EADDRINUSE"));
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });
}

/** Writes this server's URL; the returned function removes it again if it is still this server's. */
export function announceLocalServer(url: string): () => void {
  const file = localServerFile();
  const mine: LocalServer = { url, pid: process.pid };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(mine)}\n`);
  return () => {
    try {
      if ((JSON.parse(readFileSync(file, "utf8")) as LocalServer).pid === process.pid) rmSync(file);
    } catch {
      // already gone or replaced
    }
  };
}
