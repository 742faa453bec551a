// `npm run schema`: writes schemas/definition.schema.json from the zod schema (a test fails when it is stale).
import { writeFileSync } from "node:fs";
import { definitionJsonSchemaText } from "../schemas/index.ts";

const path = new URL("../schemas/definition.schema.json", import.meta.url);
writeFileSync(path, definitionJsonSchemaText());
console.log(`wrote ${path.pathname}`);
