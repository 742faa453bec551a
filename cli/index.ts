// Public surface of cli/: the `objects` command line (bin/objects.mjs runs `main`).
export { main, COMMANDS } from "./main.ts";
export { EXIT } from "./errors.ts";
