import { describe, expect, it } from "vitest";
import { checkFunctionSource, compileFiles } from "../../definitions/index.ts";

describe("regular expressions at publish", () => {
  it.each([
    ["async () => /(a+)+$/.test(x)", 1, 13],
    ["async (x) => {\n  const email = /^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$/\n  return email.test(x)\n}", 2, 17],
    ["async (x) => new RegExp('(a|aa)+$').test(x)", 1, 14],
    ["async (x) => x.match(/^(\\w+\\s?)*$/)", 1, 22],
  ])("refuses exponential backtracking at its line: %s", (source, line, column) => {
    expect(checkFunctionSource(source)).toMatchObject({ ok: false, code: "regex-catastrophic", line, column, message: expect.stringContaining("backtracks exponentially") });
  });

  it.each([
    ["async (x) => /^\\d+$/.test(x)", []],
    ["async (x) => /^[a-z0-9._-]+@[a-z]+\\.[a-z]{2,}$/.test(x)", []],
    ["async (x, p) => new RegExp(p).test(x)", ["regex-dynamic"]],
    ["async (x) => /a.*b.*c/.test(x)", ["regex-polynomial"]],
  ])("passes safe patterns and warns about the ones it cannot vouch for: %s", (source, codes) => {
    const check = checkFunctionSource(source);
    expect(check.ok).toBe(true);
    expect(check.ok && check.warnings.map((w) => w.code)).toEqual(codes);
  });

  it("locates both in a commit: a refusal stops it, a warning travels with it", () => {
    const file = (path: string, content: string) => ({ kind: "file" as const, path, content });
    const refused = compileFiles([file("shop/do.json", "{}"), file("shop/api/check.js", "export default async (x) =>\n  /(a+)+$/.test(x)\n")]);
    expect(refused.issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.code}`)).toEqual(["shop/api/check.js:2:3 regex-catastrophic"]);
    const warned = compileFiles([file("shop/do.json", "{}"), file("shop/api/check.js", "export default async (x, p) =>\n  new RegExp(p).test(x)\n")]);
    expect(warned.issues).toEqual([]);
    expect(warned.warnings.map((w) => `${w.file}:${w.line} ${w.code}`)).toEqual(["shop/api/check.js:2 regex-dynamic"]);
  });
});
