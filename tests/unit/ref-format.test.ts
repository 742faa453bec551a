import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { refFormatProblem } from "../../control-plane/pipeline/ref-format.ts";

/** What the real git says (exit 0: valid), without the shell in between. */
const gitAccepts = (name: string) => spawnSync("git", ["check-ref-format", name]).status === 0;

const names = [
  "refs/heads/main",
  "refs/heads/feature/x-1",
  "refs/heads/$(id)",
  "refs/heads/a..b",
  "refs/heads/a.lock",
  "refs/heads/.hidden",
  "refs/heads/x.",
  "refs/heads/a//b",
  "refs/heads/a/",
  "refs/heads/a b",
  "refs/heads/a~1",
  "refs/heads/a^",
  "refs/heads/a:b",
  "refs/heads/a?",
  "refs/heads/a*",
  "refs/heads/a[b",
  "refs/heads/a\\b",
  "refs/heads/a@{1}",
  "refs/heads/@",
  "@",
  "refs/heads/a\u007f",
  "refs/heads/a\u0001",
  "refs/heads/\u202egnp.exe",
  "refs/heads/\u2028x",
  "refs/heads/`x`",
  "refs/tags/v1.0.0",
  "refs/tags/crm.acme.com@1.2.3",
  "main",
];

describe("refFormatProblem", () => {
  it.each(names)("agrees with git check-ref-format on %j", (name) => {
    expect(refFormatProblem(name) === null).toBe(gitAccepts(name));
  });

  it("agrees with git on generated names", () => {
    const alphabet = fc.constantFrom(..."ab/.-_@{}~^:?*[\\ x\u0001".split(""));
    fc.assert(
      fc.property(fc.array(alphabet, { minLength: 1, maxLength: 12 }).map((chars) => `refs/heads/${chars.join("")}`), (name) => {
        expect(refFormatProblem(name) === null).toBe(gitAccepts(name));
      }),
      { numRuns: 100 },
    );
  });

  it("says why, with the name escaped", () => {
    expect(refFormatProblem("refs/heads/a\nb")).toBe('"refs/heads/a\\u{000a}b" is not a valid git ref name: it holds the control character U+000A');
  });
});
