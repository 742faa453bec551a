import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { definitionJsonSchemaText } from "../../schemas/index.ts";

describe("schemas/definition.schema.json", () => {
  it("is what `npm run schema` generates from the zod schema today", () => {
    const committed = readFileSync(new URL("../../schemas/definition.schema.json", import.meta.url), "utf8");
    expect(committed, "stale: run `npm run schema` and commit the result").toBe(definitionJsonSchemaText());
  });

  // `components` (page components a definition provides) is the one field added to the seed's interface.
  it("describes every top-level field of the seed's DODefinition, plus components, and forbids others", () => {
    const schema = JSON.parse(definitionJsonSchemaText()) as { properties: Record<string, unknown>; additionalProperties: boolean };
    expect(Object.keys(schema.properties).sort()).toEqual(["$context", "$id", "$schema", "$type", "$version", "agent", "api", "app", "components", "config", "events", "schedules", "site"]);
    expect(schema.additionalProperties).toBe(false);
  });
});
