// The catalogue of problem codes: every code the sources throw is in it, every entry is thrown somewhere, each code
// answers its kind's status, and README's table is the catalogue's.
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, isErrorCode, ObjectsError, problemOf, QUOTA_CAPABILITIES, STATUS_OF_KIND, type ErrorCode } from "../../core/index.ts";
import { withErrorTable } from "../../scripts/error-table.ts";

const root = new URL("../../", import.meta.url);
const sources = execFileSync("git", ["ls-files", "*.ts"], { cwd: root, encoding: "utf8" })
  .split("\n")
  .filter((path) => path && !path.startsWith("tests/") && path !== "core/error-codes.ts" && !path.endsWith(".d.ts") && !path.endsWith("prelude-text.ts"))
  .map((path) => ({ path, text: readFileSync(new URL(path, root), "utf8") }));

/** The first argument of every `new ObjectsError(`: a literal, a template, or an expression choosing between literals. */
function thrownCodes(): Array<{ path: string; code: string }> {
  const found: Array<{ path: string; code: string }> = [];
  for (const { path, text } of sources) {
    for (const match of text.matchAll(/new ObjectsError\(\s*([^,]+),/g)) {
      const argument = match[1]!;
      // `a === "x" ? "code-1" : "code-2"`: the codes are what the conditional chooses between.
      const choices = argument.includes("?") ? argument.slice(argument.indexOf("?")) : argument;
      const literals = [...choices.matchAll(/"([a-z0-9-]+)"/g)].map((m) => m[1]!);
      if (argument.includes("`")) {
        // Templates are families: each expands to the codes the catalogue lists for it.
        const pattern = new RegExp(`^${argument.trim().slice(1, -1).replace(/\$\{[^}]+\}/g, "[a-z0-9-]+")}$`);
        const members = Object.keys(ERROR_CODES).filter((code) => pattern.test(code));
        found.push(...(members.length ? members : [argument]).map((code) => ({ path, code })));
      } else if (literals.length) found.push(...literals.map((code) => ({ path, code })));
      else found.push({ path, code: `(an expression: ${argument.trim()})` });
    }
  }
  return found;
}

describe("the catalogue of problem codes", () => {
  it("holds every code thrown anywhere (literal codes, template families, and codes chosen from values)", () => {
    const thrown = thrownCodes();
    expect(thrown.length).toBeGreaterThan(80);
    // Expressions are allowed only where the value is itself a catalogued code (an ErrorValue, a typed parameter).
    const unknown = thrown.filter(({ code }) => !isErrorCode(code) && !/^\(an expression: (code|reply\.code|value\.code)\)$/.test(code));
    expect(unknown).toEqual([]);
  });

  it("has no entry that nothing throws", () => {
    // Thrown directly, or named where a typed value carries it to a throw (a parameter's union, a reply's code).
    const thrown = new Set(thrownCodes().map(({ code }) => code));
    const everything = sources.map(({ text }) => text).join("\n");
    const unused = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((code) => !thrown.has(code) && !everything.includes(`"${code}"`));
    expect(unused).toEqual([]);
    expect(QUOTA_CAPABILITIES.every((capability) => isErrorCode(`quota-${capability}`))).toBe(true);
  });

  it("answers each code with its kind's status, and only unavailable codes (and those marked) as retryable", () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      const error = new ObjectsError(code as ErrorCode, "x");
      expect([code, problemOf(error).status]).toEqual([code, STATUS_OF_KIND[spec.kind]]);
      expect([code, error.retryable]).toEqual([code, ("retryable" in spec && spec.retryable) || spec.kind === "unavailable"]);
    }
    expect(new ObjectsError("ref-moved", "x").retryable).toBe(true);
  });

  it("is what README's table says", () => {
    const readme = readFileSync(new URL("README.md", root), "utf8");
    expect(withErrorTable(readme) === readme, "README's problem codes are stale: npm run docs:errors").toBe(true);
  });
});
