// `npm run build:texts`: regenerates the module texts (scripts/module-texts.ts); a unit test fails when one is stale.
import { writeFileSync } from "node:fs";
import { MODULE_TEXTS, moduleTextFile, type ModuleTextName } from "./module-texts.ts";

for (const name of Object.keys(MODULE_TEXTS) as ModuleTextName[]) {
  writeFileSync(MODULE_TEXTS[name].file, await moduleTextFile(name));
  console.log(`wrote ${MODULE_TEXTS[name].file}`);
}
