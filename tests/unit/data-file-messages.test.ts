import { describe, expect, it } from "vitest";
import { parseDataFile } from "../../definitions/compile/data-file.ts";
import { nearest, parseFailure, unknownCommand } from "../../cli/suggest.ts";
import { parseArgs } from "node:util";

describe("a broken definition file is described in plain words, at its line", () => {
  it.each([
    ['{"api": {"a": "x",}}', "JSON: a key in double quotes was expected (a trailing comma, or a key without quotes?)", { line: 1, column: 19 }],
    ['{"api" {}}', 'JSON: a ":" was expected after the key', { line: 1, column: 8 }],
    ['{"api": {}', 'JSON: a closing "}" is missing', { line: 1, column: 11 }],
    ["", "JSON: a value was expected", { line: 1, column: 1 }],
  ])("JSON %j", (text, message, position) => {
    expect(parseDataFile("x.do.json", text)).toMatchObject({ ok: false, message, position });
  });

  it.each([
    ["a: [1,2", "YAML: Flow sequence in block collection must be sufficiently indented and end with a ]"],
    ['key: "x', 'YAML: Missing closing "quote'],
  ])("YAML %j ends in words, not a dangling colon", (text, message) => {
    const parsed = parseDataFile("x.do.yaml", text);
    expect(parsed).toMatchObject({ ok: false, message });
    expect(parsed.ok ? "" : parsed.message).not.toMatch(/:$|at line/);
  });
});

describe("the CLI's suggestions", () => {
  it("suggests the nearest command or option, and nothing for what is far from all", () => {
    expect(unknownCommand("pussh", ["push", "pull", "call"])).toBe('unknown command "pussh" (did you mean push?): run objects help');
    expect(nearest("--againts", ["--against", "--json"])).toBe("--against");
    expect(nearest("zzzzzz", ["push", "call"])).toBeUndefined();
  });

  it("turns parseArgs' refusals into one balanced line", () => {
    const options = { url: { type: "string" as const }, json: { type: "boolean" as const } };
    const failure = (args: string[]) => {
      try {
        parseArgs({ args, options, strict: true, allowPositionals: true });
      } catch (error) {
        return parseFailure(error as Error, args, Object.keys(options));
      }
      return "parsed";
    };
    expect(failure(["--jsn"])).toBe("unknown option --jsn (did you mean --json?)");
    expect(failure(["--url"])).toBe("option --url needs a value");
    expect(failure(["--json=1"])).toBe("option --json takes no value");
  });
});
