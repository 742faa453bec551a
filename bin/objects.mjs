#!/usr/bin/env node
// The `objects` command: the CLI is TypeScript (it shares the control plane's compiler), run through tsx's loader.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/index.ts");
process.exitCode = await main(process.argv.slice(2));
