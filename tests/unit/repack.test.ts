import git from "isomorphic-git";
import { describe, expect, it } from "vitest";
import { createObjectFs } from "../../control-plane/git/object-fs.ts";
import { indexedOids, MAX_PACKS, packsToMerge } from "../../control-plane/git/repack.ts";

const packs = (...sizes: number[]) => sizes.map((bytes, index) => ({ name: `p${index}`, bytes }));

describe("which packs a repack merges", () => {
  it("merges nothing while there are at most MAX_PACKS", () => {
    expect(packsToMerge(packs(...Array(MAX_PACKS).fill(10)))).toEqual([]);
  });

  it("merges every pack of equal size (no progression to keep)", () => {
    expect(packsToMerge(packs(...Array(MAX_PACKS + 1).fill(10)))).toHaveLength(MAX_PACKS + 1);
  });

  it("keeps the doubling progression of large packs and merges the small ones below it", () => {
    // 1000, 400, 150 at least double; the six 10s do not, and their 60 stays under half of 150.
    const merged = packsToMerge(packs(1000, 400, 150, 10, 10, 10, 10, 10, 10));
    expect(merged.sort()).toEqual(["p3", "p4", "p5", "p6", "p7", "p8"]);
  });

  it("takes in the next pack when the merged ones outgrow half of it", () => {
    const merged = packsToMerge(packs(1000, 80, 10, 10, 10, 10, 10, 10, 10));
    expect(merged.sort()).toEqual(["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"]);
  });
});

describe("a pack index's object ids", () => {
  it("reads every id a real version-2 index lists, sorted", async () => {
    const scratch = createObjectFs({ read: async () => new Uint8Array() }, []);
    const oids = await Promise.all(["a\n", "b\n", "c\n"].map((text) => git.writeBlob({ fs: scratch.fs, gitdir: "/", blob: new TextEncoder().encode(text) })));
    const { packfile } = await git.packObjects({ fs: scratch.fs, gitdir: "/", oids, write: false });
    scratch.put("objects/pack/p.pack", packfile!);
    await git.indexPack({ fs: scratch.fs, dir: "/", gitdir: "/", filepath: "objects/pack/p.pack" });
    expect(indexedOids(scratch.file("objects/pack/p.idx")!)).toEqual([...oids].sort());
    expect(() => indexedOids(new Uint8Array(1100))).toThrow(/version-2/);
  });
});
