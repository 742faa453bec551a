import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import git from "isomorphic-git";
import { describe, expect, it } from "vitest";
import { createObjectFs } from "../../control-plane/git/object-fs.ts";
import { r2PackStore, sqlBranchObjects, sqlRepoRefs } from "../../control-plane/git/repo-storage.ts";

const A = "a".repeat(40);
const B = "b".repeat(40);
const repoStub = () => env.REPOS.get(env.REPOS.idFromName(`storage-${crypto.randomUUID()}`));

describe("a repository's storage inside its RepoDO (SQLite + R2)", () => {
  it("compare-and-sets refs: a stale old value changes nothing", async () => {
    await runInDurableObject(repoStub(), async (_, state) => {
      const refs = sqlRepoRefs(state.storage.sql);
      expect(await refs.head()).toBe("refs/heads/main");
      expect(await refs.compareAndSet("refs/heads/main", "0".repeat(40), A)).toBe(true);
      expect(await refs.compareAndSet("refs/heads/main", "0".repeat(40), B)).toBe(false);
      expect(await refs.compareAndSet("refs/heads/main", A, B)).toBe(true);
      expect(await refs.compareAndSet("refs/tags/v1", null, A)).toBe(true);
      expect(await refs.list()).toEqual([["refs/heads/main", B], ["refs/tags/v1", A]]);
      expect(await refs.compareAndSet("refs/tags/v1", A, null)).toBe(true);
      expect(await refs.list()).toEqual([["refs/heads/main", B]]);
    });
  });

  it("remembers which objects each branch published", async () => {
    await runInDurableObject(repoStub(), async (_, state) => {
      const branches = sqlBranchObjects(state.storage.sql);
      await branches.set("main", new Map([["a.do", A], ["b.do", B]]));
      await branches.set("feature", new Map([["a.do", B]]));
      expect(await branches.get("main")).toEqual(new Map([["a.do", A], ["b.do", B]]));
      await branches.set("main", new Map());
      expect((await branches.get("main")).size).toBe(0);
      expect(await branches.get("feature")).toEqual(new Map([["a.do", B]]));
    });
  });

  it("stores a pack in R2, lists it in SQLite, and serves its objects to isomorphic-git from a cold cache", async () => {
    const name = `repo-${crypto.randomUUID()}`;
    // A real pack, made by isomorphic-git from a blob written into an in-memory repository.
    const scratch = createObjectFs({ read: async () => new Uint8Array() }, []);
    const oid = await git.writeBlob({ fs: scratch.fs, gitdir: "/", blob: new TextEncoder().encode("hello pack\n") });
    const { packfile } = await git.packObjects({ fs: scratch.fs, gitdir: "/", oids: [oid], write: false });
    scratch.put("objects/pack/p.pack", packfile!);
    await git.indexPack({ fs: scratch.fs, dir: "/", gitdir: "/", filepath: "objects/pack/p.pack" });
    const index = scratch.file("objects/pack/p.idx")!;

    await runInDurableObject(repoStub(), async (_, state) => {
      await r2PackStore(env.GIT_PACKS, name, state.storage.sql, new Map()).write("pack-x", packfile!, index);
      const cold = r2PackStore(env.GIT_PACKS, name, state.storage.sql, new Map());
      expect(await cold.names()).toEqual(["pack-x"]);
      const objects = createObjectFs(cold, await cold.names());
      const { blob } = await git.readBlob({ fs: objects.fs, gitdir: "/", oid });
      expect(new TextDecoder().decode(blob)).toBe("hello pack\n");
    });
    expect((await env.GIT_PACKS.head(`git/${name}/pack-x.pack`))?.size).toBe(packfile!.byteLength);
  });
});

describe("repack", () => {
  it("merges too many packs into one listed in their place, every object still readable, the old bytes kept a while", async () => {
    const { repack, MAX_PACKS } = await import("../../control-plane/git/repack.ts");
    const name = `repack-${crypto.randomUUID()}`;
    const oids: string[] = [];
    await runInDurableObject(repoStub(), async (_, state) => {
      const store = r2PackStore(env.GIT_PACKS, name, state.storage.sql, new Map());
      for (let i = 0; i <= MAX_PACKS; i++) {
        const scratch = createObjectFs({ read: async () => new Uint8Array() }, []);
        const oid = await git.writeBlob({ fs: scratch.fs, gitdir: "/", blob: new TextEncoder().encode(`blob ${i}\n`) });
        const { packfile } = await git.packObjects({ fs: scratch.fs, gitdir: "/", oids: [oid], write: false });
        scratch.put("objects/pack/p.pack", packfile!);
        await git.indexPack({ fs: scratch.fs, dir: "/", gitdir: "/", filepath: "objects/pack/p.pack" });
        await store.write(`pack-${i}`, packfile!, scratch.file("objects/pack/p.idx")!);
        oids.push(oid);
      }
      expect(await store.names()).toHaveLength(MAX_PACKS + 1);
      const retired = await repack(store);
      expect(retired).toHaveLength(MAX_PACKS + 1);
      // A cold store (no cached bytes) sees one pack that holds every object.
      const cold = r2PackStore(env.GIT_PACKS, name, state.storage.sql, new Map());
      const names = await cold.names();
      expect(names).toHaveLength(1);
      const objects = createObjectFs(cold, names);
      for (const [i, oid] of oids.entries()) expect(new TextDecoder().decode((await git.readBlob({ fs: objects.fs, gitdir: "/", oid })).blob)).toBe(`blob ${i}\n`);
      expect(await repack(cold)).toEqual([]);
    });
    // A request that listed the old packs before the swap can still read them.
    expect(await env.GIT_PACKS.head(`git/${name}/pack-0.pack`)).not.toBeNull();
  });
});
