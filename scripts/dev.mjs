#!/usr/bin/env node
// `npm run dev`: wrangler dev (rebuilds on change) on http://localhost:8787 (PORT to change), same state and secrets as npm start.
import { spawn } from "node:child_process";
import { ensureDevVars, ROOT } from "./dev-vars.mjs";

ensureDevVars();
const port = process.env.PORT ?? "8787";
const args = ["wrangler", "dev", "--port", port, "--ip", process.env.HOST ?? "127.0.0.1", "--log-level", process.env.LOG_LEVEL ?? "warn", ...process.argv.slice(2)];
const child = spawn("npx", args, { cwd: ROOT, stdio: "inherit", env: { WRANGLER_SEND_METRICS: "false", ...process.env } });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
