import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFiles, type RepoEntry } from "../../definitions/index.ts";

const fixture = new URL("../fixtures/acme", import.meta.url).pathname;
function entriesOf(dir: string): RepoEntry[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? entriesOf(path) : [{ kind: "file" as const, path: relative(fixture, path), content: readFileSync(path, "utf8") }];
  });
}
const acme = entriesOf(fixture);
const withFiles = (changes: Record<string, string | null>): RepoEntry[] => [
  ...acme.filter((entry) => !(entry.path in changes)),
  ...Object.entries(changes).flatMap(([path, content]) => (content === null ? [] : [{ kind: "file" as const, path, content }])),
];
const located = (entries: RepoEntry[]) => compileFiles(entries).issues.map((issue) => `${issue.file}:${issue.line}:${issue.column} ${issue.code}`);

describe("compileFiles on the acme fixture", () => {
  const result = compileFiles(acme);

  it("finds both layouts and nothing else", () => {
    expect(result.issues).toEqual([]);
    expect(result.objects.map((object) => [object.id, object.source])).toEqual([
      ["crm.acme.com", "crm.acme.com"],
      ["hello.do", "hello.do.json"],
    ]);
  });

  it("builds the folder object from do.yaml and its files", () => {
    const crm = result.objects.find((object) => object.id === "crm.acme.com")!.definition;
    expect(crm.$type).toBe("SaaS");
    expect(crm.config).toEqual({ plan: "pro" });
    expect(Object.keys(crm.api!).sort()).toEqual(["customers", "ping"]);
    expect((crm.api!.customers as Record<string, string>).list).toBe("async () => $.db.Customer.list()");
    expect(Object.keys(crm.events!)).toEqual(["Customer.created"]);
    expect(Object.keys(crm.schedules!)).toEqual(["every.hour"]);
    expect(crm.site).toEqual({ "/": "# Acme CRM\n\nThe best CRM for startups.\n" });
  });

  it("reads page components from components/<Name>.js", () => {
    const { objects, issues } = compileFiles(withFiles({ "crm.acme.com/components/Chart.js": "export default async ({ title }) => `## ${title}`;\n" }));
    expect(issues).toEqual([]);
    expect(objects.find((object) => object.id === "crm.acme.com")!.definition.components).toEqual({ Chart: "async ({ title }) => `## ${title}`" });
  });
});

describe("compileFiles reports every problem at its file, line and column", () => {
  it.each<[string, Record<string, string | null>, string[]]>([
    ["a syntax error inside a method", { "crm.acme.com/api/x.js": "export default async (a) => {\n  const b = a +;\n  return b\n}\n" }, ["crm.acme.com/api/x.js:2:16 syntax-error"]],
    ["a method file exporting no function", { "crm.acme.com/api/x.js": "\nexport default 42;\n" }, ["crm.acme.com/api/x.js:2:16 not-a-function"]],
    ["a method file with helpers", { "crm.acme.com/api/x.js": "const helper = 1;\nexport default async () => helper;\n" }, ["crm.acme.com/api/x.js:1:1 not-a-method-file"]],
    ["a JSON syntax error", { "hello.do.json": '{\n  "api": {\n    "hello": "async () => 1",\n  }\n}\n' }, ["hello.do.json:4:3 parse-error"]],
    ["a YAML syntax error", { "crm.acme.com/do.yaml": "$type: SaaS\nconfig: [unclosed\n" }, ["crm.acme.com/do.yaml:3:1 parse-error"]],
    ["an unknown key in YAML", { "crm.acme.com/do.yaml": "$type: SaaS\nconfig:\n  plan: pro\nbogus: 1\n" }, ["crm.acme.com/do.yaml:4:1 unknown-key"]],
    ["a bad method name in JSON", { "hello.do.json": '{\n  "api": {\n    "1st": "async () => 1"\n  }\n}\n' }, ["hello.do.json:3:5 invalid-key"]],
    ["a page that does not parse", { "crm.acme.com/site/pricing.mdx": "# Pricing\n\n<Hero>\n\nno closing tag\n" }, ["crm.acme.com/site/pricing.mdx:3:1 page-syntax"]],
    ["a component file with a syntax error", { "crm.acme.com/components/Chart.js": "export default async () => {\n  return (\n}\n" }, ["crm.acme.com/components/Chart.js:3:1 syntax-error"]],
    ["a prototype key in JSON", { "hello.do.json": '{\n  "config": {\n    "__proto__": { "x": 1 }\n  }\n}\n' }, ["hello.do.json:3:5 forbidden-key"]],
  ])("%s", (_, changes, expected) => {
    expect(located(withFiles(changes))).toEqual(expected);
  });

  it("lists problems of several files at once", () => {
    const lines = located(withFiles({ "crm.acme.com/api/a.js": "export default (", "crm.acme.com/api/b.js": "export default 1", "other.do.yaml": "api: {x: 1}" }));
    expect(lines.map((line) => line.split(":")[0])).toEqual(["crm.acme.com/api/a.js", "crm.acme.com/api/b.js", "other.do.yaml"]);
  });

  it("refuses a definition file that is a symlink and ignores submodules with a warning", () => {
    const result = compileFiles([...acme, { kind: "symlink", path: "evil.do.json" }, { kind: "submodule", path: "vendor/lib" }, { kind: "symlink", path: "docs/link" }]);
    expect(result.issues.map((issue) => `${issue.file} ${issue.code}`)).toEqual(["evil.do.json symlink-not-allowed"]);
    expect(result.warnings.map((warning) => `${warning.file} ${warning.code}`)).toEqual(["vendor/lib submodule-ignored"]);
  });

  it("refuses two files defining one id", () => {
    expect(located(withFiles({ "copy/hello.do.yaml": "api:\n  hello: async () => 1\n" })).map((line) => line.split(" ")[1])).toEqual(["duplicate-id"]);
  });

  it("refuses a definition file over the size cap", () => {
    expect(compileFiles([...acme, { kind: "too-large", path: "big.do.json", bytes: 5_000_000 }]).issues.map((issue) => issue.code)).toEqual(["file-too-large"]);
  });
});
