// Shared by the e2e tests: a server started with `npm start` on a free port, an admin token, and RPC calls.
import { mkdtempSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import { parseDevVars } from "../../scripts/dev-vars.mjs";
import { startServer, type Server } from "./server.ts";

export interface E2E {
  server: Server;
  /** The server's state folder (also where it writes its URL for the CLI: OBJECTS_STATE_DIR). */
  stateDir: string;
  token(scope?: string): Promise<string>;
  call(path: string, method: string, params?: unknown[]): Promise<{ status: number; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

/** Starts objects.do as a user would (`npm start`), with its state in a temporary folder and `vars` overridden. */
export async function startE2E(vars: Record<string, string> = {}, args: string[] = []): Promise<E2E> {
  const state = mkdtempSync(join(tmpdir(), "objects-e2e-"));
  const varArgs = Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
  const server = await startServer({ persistTo: state, command: () => ["npm", "start", "--", "--persist-to", state, ...varArgs, ...args] });
  const secret = parseDevVars(readFileSync(new URL("../../.dev.vars", import.meta.url), "utf8")).JWT_SECRET!;
  return {
    server,
    stateDir: state,
    token: (scope = "*") =>
      new SignJWT({ scope }).setProtectedHeader({ alg: "HS256" }).setSubject("e2e").setIssuer("objects.do").setAudience("objects.do").setIssuedAt().setExpirationTime("1h").sign(new TextEncoder().encode(secret)),
    async call(path, method, params = []) {
      const response = await fetch(`${server.url}/${path}/rpc`, { method: "POST", body: JSON.stringify({ method, params }) });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async stop() {
      await server.stop();
      rmSync(state, { recursive: true, force: true });
    },
  };
}
