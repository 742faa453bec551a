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

    it("keeps UTF-8 text intact", async () => {
      const store = make();
      const k = key();
      await store.putIfAbsent(k, '{"s":"héllo ✓ 𝄞"}');
      expect(await store.get(k)).toBe('{"s":"héllo ✓ 𝄞"}');
    });
  });
}
