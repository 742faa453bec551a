import { describe, expect, it } from "vitest";
import { globToRegExp, normalizeFilePath } from "../../runtime/facet/files.ts";

describe("fsx paths", () => {
  it.each([
    ["/a.txt", "a.txt"],
    ["a.txt", "a.txt"],
    ["./docs/./intro.md", "docs/intro.md"],
    ["/deep/er/file", "deep/er/file"],
  ])("%s is %s", (input, expected) => {
    expect(normalizeFilePath(input)).toBe(expected);
  });

  it.each(["../etc/passwd", "/a/../../b", "a/../b", "a\0b", "a\\b", "", "/", "a//b", "dir/", 42, "x".repeat(2000), "/.git/config", ".GIT/HEAD"])("refuses %j", (input) => {
    expect(() => normalizeFilePath(input)).toThrow(/unsafe path|path has|path is a string|must stay inside|reserved/);
  });
});

describe("fsx globs", () => {
  it.each([
    ["*.md", ["a.md"], ["docs/a.md", "a.txt"]],
    ["**/*.md", ["a.md", "docs/a.md", "x/y/z.md"], ["a.txt"]],
    ["docs/**", ["docs/a", "docs/x/y"], ["doc/a", "other/docs/a"]],
    ["/docs/?.md", ["docs/a.md"], ["docs/ab.md"]],
    ["**", ["a", "a/b/c"], []],
    ["a+b(c).txt", ["a+b(c).txt"], ["aab(c).txt"]],
  ])("%s", (glob, yes, no) => {
    const pattern = globToRegExp(glob);
    for (const path of yes) expect(pattern.test(path), path).toBe(true);
    for (const path of no) expect(pattern.test(path), path).toBe(false);
  });
});
