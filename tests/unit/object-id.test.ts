import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseObjectPath } from "../../core/index.ts";
import { compileFiles } from "../../definitions/index.ts";
import { checkObjectId, idKey, OBJECT_ID_PATTERN, printable } from "../../schemas/index.ts";

const nfc = "caf\u00e9.do";
const nfd = "cafe\u0301.do";

describe("the object id grammar", () => {
  it.each([
    ["crm.acme.com"],
    ["startup.do/tenant-123"],
    ["a"],
    ["a_b-c.d"],
    [`${"a".repeat(100)}/${"b".repeat(99)}`],
    ["a/b/c/d/e/f/g/h"],
  ])("accepts %s", (id) => {
    expect(checkObjectId(id)).toEqual({ ok: true });
  });

  it.each([
    ["Foo.do", /lowercase \(foo\.do\)/],
    [nfc, /U\+00E9 is not allowed/],
    [nfd, /U\+0301 is not allowed/],
    ["..x.do", /"\.\." is not allowed/],
    ["a..b", /"\.\." is not allowed/],
    ["x@1.do", /U\+0040/],
    ["x:y.do", /U\+003A/],
    ["x y.do", /U\+0020/],
    ["\u001b[31mred.do", /U\+001B/],
    ["evil\nremote: FAKE published everything.do", /U\+000A/],
    ["abc\u202edcba.do", /U\+202E/],
    ["x".repeat(201), /201 characters/],
    [`${"a".repeat(101)}.do`, /a segment has 104 characters/],
    ["a/b/c/d/e/f/g/h/i", /9 segments/],
    ["-x.do", /starts and ends with a letter or digit/],
    ["x.do.", /starts and ends/],
    ["a//b", /empty segment/],
    ["", /empty/],
  ])("refuses %j saying why", (id, why) => {
    const check = checkObjectId(id);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.message).toMatch(why);
    // The message never carries the raw control characters it names.
    expect(!check.ok && /[\u0000-\u001f\u202e]/.test(check.message)).toBe(false);
  });

  it("agrees with the pattern editors get, and with path parsing", () => {
    const alphabet = fc.constantFrom(..."abz09.-_/A@ \n".split(""));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 24 }).map((chars) => chars.join("")), (id) => {
        const ok = checkObjectId(id).ok;
        expect(OBJECT_ID_PATTERN.test(id)).toBe(ok);
        if (ok) expect(parseObjectPath(`/${id}/rpc`)?.id).toBe(id);
      }),
      { numRuns: 2000 },
    );
  });

  it("folds NFC/NFD twins and case into one key", () => {
    expect(idKey(nfd)).toBe(idKey(nfc));
    expect(idKey("Foo.DO")).toBe("foo.do");
  });
});

describe("ids from a commit's file names", () => {
  const file = (path: string, content = "{}") => ({ kind: "file" as const, path, content });
  const codes = (paths: string[]) => compileFiles(paths.map((path) => file(path))).issues.map((issue) => [issue.file, issue.code]);

  it.each([
    ["Foo.do.json"],
    [`${nfd}.json`],
    ["..x.do.json"],
    ["x@y.do.json"],
    ["a:b.do.json"],
    ["a b.do.json"],
    ["\u001b[2Jx.do.json"],
    ["x\nremote: FAKE published everything.do.json"],
    [`${"a".repeat(200)}.do.json`],
  ])("refuses %j as PUT would, publishing nothing", (path) => {
    const result = compileFiles([file(path), file("fine.do.json")]);
    expect(result.issues.map((issue) => [issue.file, issue.code])).toEqual([[path, "id-invalid"]]);
  });

  it("refuses ids that collide after case folding or NFC, naming both paths", () => {
    const result = compileFiles([file("foo.do.json"), file("Foo.do.json")]);
    const duplicate = result.issues.find((issue) => issue.code === "duplicate-id")!;
    expect(duplicate.message).toContain("foo.do.json");
    expect(duplicate.message).toContain("Foo.do.json");
    expect(codes([`${nfc}.json`, `${nfd}.json`]).map(([, code]) => code).sort()).toEqual(["duplicate-id", "id-invalid"]);
  });

  it("checks a folder's $id and a folder name alike", () => {
    const folder = compileFiles([file("Shop/do.json")]);
    expect(folder.issues.map((issue) => issue.code)).toEqual(["id-invalid"]);
    const declared = compileFiles([file("shop/do.json", '{\n  "$id": "Shop.do"\n}')]);
    expect(declared.issues.map((issue) => [issue.code, issue.line])).toEqual([["id-invalid", 2]]);
  });
});

describe("printable", () => {
  it("escapes controls, bidi characters, separators and lone surrogates, and keeps the rest", () => {
    expect(printable("a\nb\u001b[31m\u202e\u2028\ud800z é ✓")).toBe("a\\u{000a}b\\u{001b}[31m\\u{202e}\\u{2028}\\u{d800}z é ✓");
    expect(printable("😀")).toBe("😀");
  });
});
