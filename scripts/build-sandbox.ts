// `npm run build:sandbox`: regenerates runtime/executor/sandbox/prelude-text.ts (a unit test fails when it is stale).
import { writeFileSync } from "node:fs";
import { PRELUDE_TEXT_FILE, preludeTextFile } from "./sandbox-text.ts";

writeFileSync(PRELUDE_TEXT_FILE, await preludeTextFile());
console.log(`wrote ${PRELUDE_TEXT_FILE}`);
