import { execFile } from "node:child_process";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type Server } from "../support/server.ts";

const root = new URL("../..", import.meta.url).pathname;
let server: Server;
let state: string;

beforeAll(async () => {
  state = mkdtempSync(join(tmpdir(), "objects-e2e-"));
  server = await startServer({ persistTo: state });
});
afterAll(async () => {
  await server?.stop();
  rmSync(state, { recursive: true, force: true });
});

/** The README's quick start block, exactly as a reader copies it. */
function quickStart(): string[] {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const block = /<!-- quickstart -->\n```\n([\s\S]*?)```\n<!-- \/quickstart -->/.exec(readme);
  if (!block) throw new Error("README.md has no quickstart block");
  return block[1]!.split("\n");
}

describe("the README quick start, run verbatim against npm start", () => {
  it("prints the promised result", async () => {
    const lines = quickStart();
    expect(lines[0]).toMatch(/^npm install && npm start/);
    const expected = lines.find((line) => line.startsWith("# {"))!.slice(2);
    // Everything after `npm install && npm start` (already running here on a free port, as `PORT=<port> npm start`),
    // verbatim: the block names its port as ${PORT:-8787}.
    const script = lines.slice(1).join("\n");
    expect(script).not.toContain("localhost:8787");
    const { stdout } = await promisify(execFile)("bash", ["-euo", "pipefail", "-c", script], { cwd: root, env: { ...process.env, PORT: String(server.port), NO_COLOR: "1" } });
    const outputs = stdout.trim().split("\n");
    expect(JSON.parse(outputs[0]!)).toMatchObject({ id: "my-app.do", hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(outputs.at(-1)).toBe(expected);
  });
});
