#!/usr/bin/env node
// The `objects` command. In a checkout it runs the CLI's TypeScript through tsx (always the code as it is now); an
// installed package holds no sources, only the bundle `npm pack` built (scripts/build-cli.mjs), run by plain Node.
import { existsSync } from "node:fs";

const source = new URL("../cli/index.ts", import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import("../dist/cli/index.js"));
}
process.exitCode = await main(process.argv.slice(2));
