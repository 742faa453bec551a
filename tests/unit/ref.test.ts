import fc from "fast-check";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { ObjectsError } from "../../core/index.ts";
import { environmentOfKey, parseRef, previewRefOf, printRef, resolveRef, type Ref } from "../../registry/index.ts";
import type { RefState } from "../../schemas/index.ts";

describe("parseRef", () => {
  it.each<[string, Ref]>([
    ["latest", { kind: "latest" }],
    ["", { kind: "latest" }],
    ["v1.2.3", { kind: "version", version: "1.2.3" }],
    ["1.2.3", { kind: "version", version: "1.2.3" }],
    ["v2.0.0-rc.1", { kind: "version", version: "2.0.0-rc.1" }],
    ["^1", { kind: "range", range: "^1" }],
    ["~1.2", { kind: "range", range: "~1.2" }],
    ["1.x", { kind: "range", range: "1.x" }],
    [">=1.2 <2", { kind: "range", range: ">=1.2 <2" }],
    ["1", { kind: "range", range: "1" }],
    ["3f9c", { kind: "hash", prefix: "3f9c" }],
    ["3f9c2ab", { kind: "hash", prefix: "3f9c2ab" }],
    ["pr-42", { kind: "pr", number: 42 }],
    ["preview-login", { kind: "topic", topic: "login" }],
    ["preview-fix-42", { kind: "topic", topic: "fix-42" }],
    ["preview-Login", { kind: "branch", name: "preview-Login" }],
    ["heads/preview-login", { kind: "branch", name: "preview-login" }],
    ["main", { kind: "branch", name: "main" }],
    ["feature/login", { kind: "branch", name: "feature/login" }],
    ["heads/x", { kind: "branch", name: "x" }],
    ["heads/v1", { kind: "branch", name: "v1" }],
    ["heads/heads/y", { kind: "branch", name: "heads/y" }],
  ])("parses %j", (text, ref) => {
    expect(parseRef(text)).toEqual(ref);
  });

  it.each(["-main", "a..b", "x.lock", "feature/", "has space", "ünïcode", "a:b", "a@b"])("refuses %j with ref-invalid", (text) => {
    expect(() => parseRef(text)).toThrowError(expect.objectContaining({ code: "ref-invalid", kind: "bad-request" }));
  });

  it("gives back every ref it prints", () => {
    const refs = fc.oneof(
      fc.constant<Ref>({ kind: "latest" }),
      fc.tuple(fc.nat(99), fc.nat(99), fc.nat(99)).map(([a, b, c]): Ref => ({ kind: "version", version: `${a}.${b}.${c}` })),
      fc.stringMatching(/^[0-9a-f]{4,64}$/).map((prefix): Ref => ({ kind: "hash", prefix })),
      fc.integer({ min: 1, max: 99999 }).map((number): Ref => ({ kind: "pr", number })),
      fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/).map((topic): Ref => ({ kind: "topic", topic })),
      fc.constantFrom("^1", "~1.2", "1.x", ">=2.1.0 <3").map((range): Ref => ({ kind: "range", range })),
      // Any branch name, including ones that read as other refs bare (x, v1, 1.x, beef, pr-3, latest).
      fc
        .oneof(fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,20}(\/[a-z][a-z0-9]{0,10})?$/), fc.constantFrom("x", "v1", "1.x", "beef", "pr-3", "preview-x", "latest", "heads/x"))
        .filter((name) => !/\.\.|\.$|\.lock$/.test(name))
        .map((name): Ref => ({ kind: "branch", name })),
    );
    fc.assert(
      fc.property(refs, (ref) => {
        expect(parseRef(printRef(ref))).toEqual(ref);
      }),
      { numRuns: 2000 },
    );
  });

  it("runs previews and branches in their own environment and everything else in production", () => {
    expect(environmentOfKey(("pr-7"))).toBe("pr-7");
    expect(environmentOfKey(("preview-login"))).toBe("preview-login");
    expect(environmentOfKey(("heads/preview-login"))).toBe("branch-preview-login");
    expect(["pr-7", "preview-login", "production", "branch-preview-login", "branch-pr-7"].map(previewRefOf)).toEqual(["pr-7", "preview-login", null, null, null]);
    expect(environmentOfKey(("feature"))).toBe("branch-feature");
    expect(["latest", "v1.0.0", "^1"].map(environmentOfKey)).toEqual(Array(3).fill("production"));
  });
});

const hash = (n: number) => n.toString(16).padStart(4, "0").repeat(16);
function stateWith(versions: string[]): RefState {
  return {
    refs: { latest: hash(versions.length) },
    versions: Object.fromEntries(versions.map((version, i) => [version, hash(i + 1)])),
    commits: {},
    gone: {},
    publications: versions.map((version, i) => ({ seq: i + 1, hash: hash(i + 1), version, refs: ["latest"], provenance: { source: "api" as const, at: "" } })),
  };
}

describe("resolveRef", () => {
  const state = stateWith(["1.0.0", "1.2.0", "1.10.1", "2.0.0-rc.1", "2.0.0"]);

  it.each([
    ["latest", hash(5)],
    ["v1.2.0", hash(2)],
    ["^1", hash(3)],
    ["~1.2", hash(2)],
    ["1.x", hash(3)],
    ["^2", hash(5)],
  ])("resolves %s", (text, expected) => {
    expect(resolveRef("x.do", state, parseRef(text))).toBe(expected);
  });

  it("resolves ^1 to the highest published 1.x, exactly as semver.maxSatisfying does", () => {
    const version = fc.tuple(fc.nat(4), fc.nat(12), fc.nat(12)).map(([a, b, c]) => `${a}.${b}.${c}`);
    const range = fc.oneof(fc.nat(4).map((a) => `^${a}`), fc.tuple(fc.nat(4), fc.nat(12)).map(([a, b]) => `~${a}.${b}`), fc.nat(4).map((a) => `${a}.x`));
    fc.assert(
      fc.property(fc.uniqueArray(version, { minLength: 1, maxLength: 12 }), range, (versions, text) => {
        const s = stateWith(versions);
        const best = semver.maxSatisfying(versions, text);
        if (best === null) expect(() => resolveRef("x.do", s, parseRef(text))).toThrowError(expect.objectContaining({ code: "ref-not-found" }));
        else expect(resolveRef("x.do", s, parseRef(text))).toBe(s.versions[best]);
      }),
    );
  });

  it("never resolves a range lower after a higher version is published (monotonic)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.nat(3), fc.nat(9), fc.nat(9)).map((v) => v.join(".")), { minLength: 2, maxLength: 10 }), fc.constantFrom("*", "^1", "~2.3", ">=1.5.0", "0.x"), (versions, range) => {
        // Through the project's resolver: the version a range names, before and after one more publication.
        const resolved = (s: RefState) => {
          let hash: string;
          try {
            hash = resolveRef("x.do", s, parseRef(range));
          } catch {
            return null;
          }
          return Object.keys(s.versions).find((version) => s.versions[version] === hash)!;
        };
        const before = resolved(stateWith(versions.slice(0, -1)));
        const after = resolved(stateWith(versions));
        if (before !== null) expect(after !== null && semver.gte(after, before)).toBe(true);
        expect(after).toBe(semver.maxSatisfying(versions, range));
      }),
    );
  });

  it("answers 409 naming the candidates when a hash prefix is ambiguous", () => {
    const s: RefState = { ...state, publications: [...state.publications, { seq: 9, hash: `abcd1${"0".repeat(59)}`, refs: [], provenance: { source: "api", at: "" } }, { seq: 10, hash: `abcd2${"0".repeat(59)}`, refs: [], provenance: { source: "api", at: "" } }] };
    try {
      resolveRef("x.do", s, parseRef("abcd"));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ObjectsError);
      expect((error as ObjectsError).status).toBe(409);
      expect((error as ObjectsError).details.candidates).toEqual([`abcd1${"0".repeat(59)}`, `abcd2${"0".repeat(59)}`]);
    }
    expect(resolveRef("x.do", s, parseRef("abcd1"))).toBe(`abcd1${"0".repeat(59)}`);
  });

  it("resolves a commit sha prefix to the content that commit published, and refuses a prefix naming two", () => {
    const s: RefState = { ...state, commits: { c0ffee1111: hash(1), c0ffee2222: hash(2), beadbead: hash(2) } };
    expect(resolveRef("x.do", s, parseRef("c0ffee1"))).toBe(hash(1));
    expect(resolveRef("x.do", s, parseRef("bead"))).toBe(hash(2));
    expect(() => resolveRef("x.do", s, parseRef("c0ffee"))).toThrowError(expect.objectContaining({ code: "ref-ambiguous", details: expect.objectContaining({ candidates: ["c0ffee1111", "c0ffee2222"] }) }));
  });

  it("answers 410 naming the last commit when the object left the ref", () => {
    const s: RefState = { ...state, refs: {}, gone: { latest: { lastCommit: "abc123abc123ff", removedBy: "def456", at: "" } } };
    expect(() => resolveRef("x.do", s, parseRef("latest"))).toThrowError(expect.objectContaining({ code: "object-removed", status: 410, message: expect.stringContaining("abc123abc123") }));
    expect(resolveRef("x.do", s, parseRef("v1.0.0"))).toBe(hash(1));
  });

  it.each(["v9.9.9", "^7", "pr-3", "nothere", "ffff"])("answers 404 for %s", (text) => {
    expect(() => resolveRef("x.do", state, parseRef(text))).toThrowError(expect.objectContaining({ code: "ref-not-found", kind: "not-found" }));
  });
});
