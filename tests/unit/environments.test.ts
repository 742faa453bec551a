import { describe, expect, it } from "vitest";
import { environmentsOf, hashEnvironment, parseRef, resolveTarget } from "../../registry/index.ts";
import type { Publication, RefState } from "../../schemas/index.ts";

const hash = (c: string) => c.repeat(64);
const provenance = { source: "git" as const, at: "" };
let seq = 0;
const published = (h: string, refs: string[], extra: Partial<Publication> = {}): Publication => ({ seq: ++seq, hash: hash(h), refs, provenance, ...extra });

/** An object whose production serves a, whose branch feat serves b, pull request 7 serves b too, and preview-x serves c. */
const state = (): RefState => ({
  refs: { latest: hash("a"), "heads/feat": hash("b"), "pr-7": hash("b"), "preview-x": hash("c") },
  versions: {},
  commits: { ["1".repeat(40)]: hash("a"), ["2".repeat(40)]: hash("b"), ["3".repeat(40)]: hash("c") },
  gone: {},
  publications: [published("a", ["latest"]), published("b", ["heads/feat"]), published("b", ["pr-7"]), published("c", ["preview-x"])],
});

describe("whose state a version runs on", () => {
  it.each([
    ["latest", "a", "production"],
    ["feat", "b", "branch-feat"],
    ["pr-7", "b", "pr-7"],
    ["preview-x", "c", "preview-x"],
    // By hash or commit: where the content was published, never production unless production published it.
    ["aaaa", "a", "production"],
    ["bbbb", "b", "branch-feat"],
    ["2222222", "b", "branch-feat"],
    ["cccc", "c", "preview-x"],
    ["3333", "c", "preview-x"],
  ])("%s runs %s on the state of %s", (ref, content, environment) => {
    expect(resolveTarget("x.do", state(), parseRef(ref))).toEqual({ hash: hash(content), environment });
  });

  it("moves a hash to production once production publishes it (a merge, a promote, a tag or a canary)", () => {
    for (const release of [published("b", ["latest"]), published("b", [], { version: "1.0.0" }), published("b", [], { rollout: "r1" })]) {
      const merged = { ...state(), publications: [...state().publications, release] };
      expect(environmentsOf(merged, hash("b"))).toEqual(["production", "branch-feat", "pr-7"]);
      expect(hashEnvironment("x.do", merged, hash("b"), "bbbb")).toBe("production");
    }
  });

  it("keeps a hash in the first environment that published it while that one lives, then the next", () => {
    const branchDeleted = { ...state(), refs: { latest: hash("a"), "pr-7": hash("b") } };
    expect(hashEnvironment("x.do", state(), hash("b"), "bbbb")).toBe("branch-feat");
    expect(hashEnvironment("x.do", branchDeleted, hash("b"), "bbbb")).toBe("pr-7");
    // An object removed from a branch keeps that branch's environment (its tombstone says so).
    const removed = { ...state(), refs: { latest: hash("a") }, gone: { "heads/feat": { at: "" } } };
    expect(hashEnvironment("x.do", removed, hash("b"), "bbbb")).toBe("branch-feat");
  });

  it("answers 410 environment-gone when every environment that published the hash was deleted", () => {
    const closed = { ...state(), refs: { latest: hash("a") } };
    expect(() => resolveTarget("x.do", closed, parseRef("cccc"))).toThrowError(expect.objectContaining({ code: "environment-gone", status: 410, message: expect.stringContaining("@preview-x") }));
    expect(() => resolveTarget("x.do", closed, parseRef("bbbb"))).toThrowError(expect.objectContaining({ message: expect.stringContaining("@feat, @pr-7") }));
  });
});
