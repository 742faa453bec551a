import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ObjectsError } from "../../core/index.ts";
import { compileFiles, decodeUtf8, parseDefinitionBody } from "../../definitions/index.ts";

const bytes = (...values: number[]) => new Uint8Array(values);
const issuesOfBody = (body: Uint8Array | string) => {
  try {
    parseDefinitionBody(typeof body === "string" ? new TextEncoder().encode(body) : body);
    return [];
  } catch (error) {
    return (error as ObjectsError).details.issues?.map((issue) => [issue.code, issue.path, issue.line, issue.column]) ?? [(error as ObjectsError).code];
  }
};

describe("decodeUtf8", () => {
  it("agrees with a fatal TextDecoder on any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (input) => {
        let expected: string | null;
        try {
          expected = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(input);
        } catch {
          expected = null;
        }
        const decoded = decodeUtf8(input);
        expect(decoded.ok ? decoded.text : null).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it("says where the first invalid byte is", () => {
    expect(decodeUtf8(bytes(0x61, 0x0a, 0xc3, 0xa9, 0x62, 0xff))).toEqual({ ok: false, line: 2, column: 3 });
    expect(decodeUtf8(bytes(0xed, 0xa0, 0x80))).toEqual({ ok: false, line: 1, column: 1 });
  });
});

describe("a definition sent as a body", () => {
  it.each([
    ["duplicate keys", '{"api":{"a":"async () => 1"},\n "api":{}}', [["duplicate-key", "/api", 2, 2]]],
    ["nested duplicate keys", '{"api":{"a":"async () => 1","a":"async () => 2"}}', [["duplicate-key", "/api/a", 1, 29]]],
    ["a byte order mark", '\ufeff{"api":{}}', [["byte-order-mark", "", 1, 1]]],
  ])("refuses %s with the line, column and pointer", (_, body, expected) => {
    expect(issuesOfBody(body)).toEqual(expected);
  });

  it("refuses invalid UTF-8 at its line and column", () => {
    expect(issuesOfBody(bytes(0x7b, 0x0a, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d))).toEqual([["invalid-utf8", "", 2, 2]]);
  });

  it("keeps escaped keys equal to their plain form", () => {
    expect(issuesOfBody('{"api":{"a":"async () => 1","\\u0061":"async () => 2"}}')).toEqual([["duplicate-key", "/api/a", 1, 29]]);
  });
});

describe("text inside a commit's definitions", () => {
  const file = (path: string, content: string) => ({ kind: "file" as const, path, content });
  const located = (entries: Parameters<typeof compileFiles>[0]) => compileFiles(entries).issues.map((issue) => `${issue.file}:${issue.line}:${issue.column} ${issue.code}`);

  it.each([
    ["a BOM", [file("a.do.json", '\ufeff{"api":{}}')], ["a.do.json:1:1 byte-order-mark"]],
    ["a BOM in a method file", [file("b/do.json", "{}"), file("b/api/x.js", "\ufeffexport default async () => 1")], ["b/api/x.js:1:1 byte-order-mark"]],
    ["duplicate keys", [file("a.do.json", '{\n  "api": {"x": "async () => 1"},\n  "api": {}\n}')], ["a.do.json:3:3 duplicate-key"]],
    ["duplicate YAML keys", [file("a.do.yaml", "api:\n  x: async () => 1\napi: {}\n")], ["a.do.yaml:3:1 parse-error"]],
    ["NUL in a string", [file("a.do.json", '{\n  "config": {"k": "a\\u0000b"}\n}')], ["a.do.json:2:14 nul-character"]],
    ["a lone surrogate", [file("a.do.json", '{\n  "config": {"k": "\\ud800"}\n}')], ["a.do.json:2:14 lone-surrogate"]],
    ["invalid UTF-8", [{ kind: "not-utf8" as const, path: "a.do.json", line: 3, column: 9 }], ["a.do.json:3:9 invalid-utf8"]],
  ])("refuses %s at its file, line and column", (_, entries, expected) => {
    expect(located(entries)).toEqual(expected);
  });
});
