// The JSON Schema of a definition file, generated from zod (editors use it through "$schema").
import { z } from "zod";
import { DefinitionSchema } from "./definition.ts";

/** Where the Worker serves it (`GET /_/schemas/definition.schema.json` on any deployment). */
export const DEFINITION_SCHEMA_PATH = "/_/schemas/definition.schema.json";
export const DEFINITION_SCHEMA_ID = `https://objects.do${DEFINITION_SCHEMA_PATH}`;

/** The JSON Schema (draft 2020-12) of `DefinitionSchema`, as committed in `schemas/definition.schema.json`. */
export function definitionJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(DefinitionSchema, { target: "draft-2020-12", unrepresentable: "any" });
  return { ...schema, $id: DEFINITION_SCHEMA_ID, title: "objects.do definition" };
}

/** The committed file's text: two-space JSON and a final newline. */
export const definitionJsonSchemaText = () => `${JSON.stringify(definitionJsonSchema(), null, 2)}\n`;
