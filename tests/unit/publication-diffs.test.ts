import { describe, expect, it } from "vitest";
import { MAX_DIFFED_PUBLICATIONS, withDiffs } from "../../control-plane/publication-diffs.ts";
import { createRegistry } from "../../registry/index.ts";
import { memoryBlobStore, memoryRefStore } from "../support/memory-stores.ts";

describe("publication diffs", () => {
  it("diffs only the newest publications, reading each snapshot once", async () => {
    const blobs = memoryBlobStore();
    const registry = createRegistry({ blobs, refs: memoryRefStore(), now: () => new Date("2026-11-26T00:00:00Z") });
    const count = MAX_DIFFED_PUBLICATIONS + 5;
    for (let n = 0; n < count; n++) await registry.publish({ definition: { $id: "a.do", api: { [`m${n}`]: "async () => 1" } }, provenance: { source: "api" } });
    let reads = 0;
    const counting = { ...registry, snapshot: (hash: string) => (reads++, registry.snapshot(hash)) };
    const history = await withDiffs(counting, await registry.state("a.do"));
    expect(history).toHaveLength(count);
    expect(history.filter((p) => "diff" in p)).toHaveLength(MAX_DIFFED_PUBLICATIONS);
    expect(reads).toBe(MAX_DIFFED_PUBLICATIONS + 1);
    const newest = history.at(-1) as { diff: { headline: string; lines: string[] } };
    expect(newest.diff.headline).toBe("4 change(s), 2 breaking");
    expect(newest.diff.lines).toContain(`- method m${count - 2}()  BREAKING`);
  });
});
