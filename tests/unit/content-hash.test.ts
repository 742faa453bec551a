import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, contentHash } from "../../registry/index.ts";

describe("canonical JSON and content hashes", () => {
  it("prints keys sorted at every level, without whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it("hashes equal values equally whatever their key order", async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.jsonValue()), async (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(await contentHash(reversed)).toBe(await contentHash(value));
      }),
    );
  });

  it("round-trips through JSON.parse", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it("is SHA-256 of the canonical text, in lowercase hex", async () => {
    // sha256('{"a":1}')
    expect(await contentHash({ a: 1 })).toBe("015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862");
  });

  it("changes when any value changes", async () => {
    expect(await contentHash({ api: { a: "() => 1" } })).not.toBe(await contentHash({ api: { a: "() => 2" } }));
  });
});
