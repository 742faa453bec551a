// The JSON Schema of a definition file, generated from zod (editors use it through "$schema").
import { z } from "zod";
import { DefinitionSchema } from "./definition.ts";

export const DEFINITION_SCHEMA_ID = "https://objects.do/schemas/definition.schema.json";

/** The JSON Schema (draft 2020-12) of `DefinitionSchema`, as committed in `schemas/definition.schema.json`. */
export function definitionJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(DefinitionSchema, { target: "draft-2020-12", unrepresentable: "any" });
  return { ...schema, $id: DEFINITION_SCHEMA_ID, title: "objects.do definition" };
}

/** The committed file's text: two-space JSON and a final newline. */
export const definitionJsonSchemaText = () => `${JSON.stringify(definitionJsonSchema(), null, 2)}\n`;
