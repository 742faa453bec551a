import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { definitionJsonSchemaText } from "../../schemas/index.ts";

describe("schemas/definition.schema.json", () => {
  it("is what `npm run schema` generates from the zod schema today", () => {
    const committed = readFileSync(new URL("../../schemas/definition.schema.json", import.meta.url), "utf8");
    expect(committed, "stale: run `npm run schema` and commit the result").toBe(definitionJsonSchemaText());
  });

  it("describes every top-level field of the seed's DODefinition and forbids others", () => {
    const schema = JSON.parse(definitionJsonSchemaText()) as { properties: Record<string, unknown>; additionalProperties: boolean };
    expect(Object.keys(schema.properties).sort()).toEqual(["$context", "$id", "$schema", "$type", "$version", "agent", "api", "app", "config", "events", "schedules", "site"]);
    expect(schema.additionalProperties).toBe(false);
  });
});
