// The URL of a running local `npm start` (it writes it on start and removes it on exit): the CLI's default after
// OBJECTS_URL, so every command finds the server on whatever port it started. `OBJECTS_STATE_DIR` moves the file.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export interface LocalServer {
  url: string;
  pid: number;
}

export const localServerFile = () => join(process.env.OBJECTS_STATE_DIR ?? join(process.env.XDG_STATE_HOME ?? join(homedir(), ".local", "state"), "objects"), "local-server.json");

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** The URL a live local server wrote, or undefined. */
export function localServerUrl(): string | undefined {
  try {
    const server = JSON.parse(readFileSync(localServerFile(), "utf8")) as Partial<LocalServer>;
    return typeof server.url === "string" && typeof server.pid === "number" && alive(server.pid) ? server.url : undefined;
  } catch {
    return undefined;
  }
}
