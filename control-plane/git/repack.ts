// Keeps a repository's packs few, so push and fetch cost stays flat however many pushes it took (each push stores
// one pack, and every request reads every pack's index). Geometric, like `git repack --geometric=2`: the smallest
// packs merge until each remaining pack is at least twice the size of all smaller ones together.
import git from "isomorphic-git";
import { createObjectFs } from "./object-fs.ts";
import type { PackStore } from "./ports.ts";

/** Packs a repository may hold before a repack merges some. */
export const MAX_PACKS = 8;

export interface StoredPack {
  name: string;
  bytes: number;
}

/**
 * The packs to merge (pure): none while there are at most MAX_PACKS. Otherwise, sorted by size, every pack up to
 * the last one that is less than twice the size of the pack below it, then as many more as are less than twice
 * what is merged so far: what stays forms a progression of doubling sizes (as `git repack --geometric=2` keeps).
 */
export function packsToMerge(packs: readonly StoredPack[]): string[] {
  if (packs.length <= MAX_PACKS) return [];
  const sorted = [...packs].sort((a, b) => a.bytes - b.bytes || (a.name < b.name ? -1 : 1));
  let split = 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.bytes < 2 * sorted[i - 1]!.bytes) split = i + 1;
  let total = sorted.slice(0, split).reduce((sum, pack) => sum + pack.bytes, 0);
  while (split < sorted.length && sorted[split]!.bytes < 2 * total) total += sorted[split++]!.bytes;
  return sorted.slice(0, Math.max(2, split)).map((pack) => pack.name);
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");

/** The object ids a version-2 pack index lists (gitformat-pack: magic, version, fan-out, then sorted ids). */
export function indexedOids(index: Uint8Array): string[] {
  const view = new DataView(index.buffer, index.byteOffset, index.byteLength);
  if (view.getUint32(0) !== 0xff744f63 || view.getUint32(4) !== 2) throw new Error("not a version-2 pack index");
  const count = view.getUint32(8 + 255 * 4);
  const start = 8 + 256 * 4;
  return Array.from({ length: count }, (_, i) => hex(index.subarray(start + 20 * i, start + 20 * (i + 1))));
}

/** Merges the packs `packsToMerge` picks into one; answers the names it retired (none when nothing was due). */
export async function repack(store: PackStore): Promise<string[]> {
  const merge = packsToMerge(await store.sizes());
  if (merge.length === 0) return [];
  const oids = new Set<string>();
  for (const name of merge) for (const oid of indexedOids(await store.read(`${name}.idx`))) oids.add(oid);
  const objects = createObjectFs(store, await store.names());
  const context = { fs: objects.fs, gitdir: "/", cache: {} };
  const { packfile } = await git.packObjects({ ...context, oids: [...oids], write: false });
  const path = "objects/pack/merged.pack";
  objects.put(path, packfile!);
  await git.indexPack({ ...context, dir: "/", filepath: path });
  const name = `pack-${hex(packfile!.subarray(packfile!.byteLength - 20))}`;
  await store.replace(name, packfile!, objects.file("objects/pack/merged.idx")!, merge);
  return merge;
}
