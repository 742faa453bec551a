import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { definitionJsonSchemaText } from "../../schemas/index.ts";

describe("schemas/definition.schema.json", () => {
  it("is what `npm run schema` generates from the zod schema today", () => {
    const committed = readFileSync(new URL("../../schemas/definition.schema.json", import.meta.url), "utf8");
    expect(committed, "stale: run `npm run schema` and commit the result").toBe(definitionJsonSchemaText());
  });

  // Two fields are added to the seed's interface: `components` (page components a definition provides) and
  // `accepts` (the children whose events an object takes through `$context`).
  it("describes every top-level field of the seed's DODefinition, plus components and accepts, and forbids others", () => {
    const schema = JSON.parse(definitionJsonSchemaText()) as { properties: Record<string, unknown>; additionalProperties: boolean };
    expect(Object.keys(schema.properties).sort()).toEqual(["$context", "$id", "$schema", "$type", "$version", "accepts", "agent", "api", "app", "components", "config", "events", "preview", "schedules", "site"]);
    expect(schema.additionalProperties).toBe(false);
  });

  // Editors autocomplete from "$schema" (JSON) or the yaml-language-server modeline (YAML).
  it("is what every example definition in the repository points at", () => {
    const root = new URL("../..", import.meta.url).pathname;
    const walk = (folder: string): string[] =>
      readdirSync(folder).flatMap((name) => (name === "node_modules" || name.startsWith(".") ? [] : statSync(join(folder, name)).isDirectory() ? walk(join(folder, name)) : [join(folder, name)]));
    const definitions = walk(join(root, "tests/fixtures")).filter((path) => /(\.do|\/do)\.(json|ya?ml)$/.test(path));
    expect(definitions.length).toBeGreaterThan(1);
    for (const path of definitions) {
      const text = readFileSync(path, "utf8");
      const pointer = path.endsWith(".json") ? (JSON.parse(text) as { $schema?: string }).$schema : /^# yaml-language-server: \$schema=(\S+)$/m.exec(text)?.[1];
      expect(pointer, path).toBeDefined();
      expect(resolve(dirname(path), pointer!), path).toBe(join(root, "schemas/definition.schema.json"));
      expect(existsSync(resolve(dirname(path), pointer!))).toBe(true);
    }
  });
});
