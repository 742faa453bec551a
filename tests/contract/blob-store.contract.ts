// The BlobStore contract: one suite, run against the in-memory fake (Node) and R2 (workerd).
import { describe, expect, it } from "vitest";
import type { BlobStore } from "../../registry/index.ts";

export function blobStoreContract(name: string, make: () => BlobStore): void {
  describe(`BlobStore contract: ${name}`, () => {
    const key = () => `snapshots/${crypto.randomUUID()}.json`;

    it("answers null for a key never written", async () => {
      expect(await make().get(key())).toBeNull();
    });

    it("stores a body once and never overwrites it", async () => {
      const store = make();
      const k = key();
      expect(await store.putIfAbsent(k, '{"v":1}')).toBe(true);
      expect(await store.putIfAbsent(k, '{"v":2}')).toBe(false);
      expect(await store.get(k)).toBe('{"v":1}');
    });

    it("lets exactly one of many racing writers create a key", async () => {
      const store = make();
      const k = key();
      const created = await Promise.all([1, 2, 3, 4, 5].map((n) => store.putIfAbsent(k, `{"n":${n}}`)));
      expect(created.filter(Boolean)).toHaveLength(1);
      expect(await store.get(k)).toBe(`{"n":${created.indexOf(true) + 1}}`);
    });

    it("lists the keys under a prefix in order, page by page, and nothing else", async () => {
      const store = make();
      const prefix = `listed/${crypto.randomUUID()}/`;
      const keys = ["c", "a", "e", "b", "d"].map((name) => `${prefix}${name}.json`);
      for (const k of keys) await store.putIfAbsent(k, "{}");
      await store.putIfAbsent(`${prefix.slice(0, -1)}x/other.json`, "{}");
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 5; page++) {
        const listed = await store.list(prefix, { limit: 2, ...(cursor ? { cursor } : {}) });
        expect(listed.keys.length).toBeLessThanOrEqual(2);
        seen.push(...listed.keys);
        if (!listed.cursor) break;
        cursor = listed.cursor;
      }
      expect(seen).toEqual([...keys].sort());
    });

    it("keeps UTF-8 text intact", async () => {
      const store = make();
      const k = key();
      await store.putIfAbsent(k, '{"s":"héllo ✓ 𝄞"}');
      expect(await store.get(k)).toBe('{"s":"héllo ✓ 𝄞"}');
    });
  });
}
