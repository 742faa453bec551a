// upload-pack: the objects reachable from what the client wants and not from what it has, as one pack.
import git from "isomorphic-git";
import { ObjectsError } from "../../core/index.ts";
import { createObjectFs } from "./object-fs.ts";
import type { PackStore } from "./ports.ts";
import type { UploadRequest } from "./protocol/requests.ts";
import { packResponse } from "./protocol/responses.ts";

type Context = { fs: ReturnType<typeof createObjectFs>["fs"]; gitdir: string; cache: object };

async function exists(context: Context, oid: string): Promise<boolean> {
  try {
    await git.readObject({ ...context, oid, format: "deflated" });
    return true;
  } catch {
    return false;
  }
}

/** Every object reachable from `roots` (commits, trees, blobs, tags), skipping what `stop` holds and submodules. */
async function reachable(context: Context, roots: readonly string[], stop: ReadonlySet<string> = new Set()): Promise<Set<string>> {
  const seen = new Set<string>();
  const queue = roots.filter((oid) => !stop.has(oid));
  while (queue.length > 0) {
    const oid = queue.pop()!;
    if (seen.has(oid) || stop.has(oid)) continue;
    seen.add(oid);
    const { type, object } = await git.readObject({ ...context, oid });
    if (type === "commit") {
      const commit = object as { tree: string; parent: string[] };
      queue.push(commit.tree, ...commit.parent);
    } else if (type === "tree") {
      for (const entry of object as Array<{ mode: string; oid: string }>) if (entry.mode !== "160000") queue.push(entry.oid);
    } else if (type === "tag") queue.push((object as { object: string }).object);
  }
  return seen;
}

/** Builds the answer to one upload-pack request (clone, fetch or pull). */
export async function uploadPack(packs: PackStore, request: UploadRequest): Promise<Uint8Array> {
  const objects = createObjectFs(packs, await packs.names());
  const context = { fs: objects.fs, gitdir: "/", cache: {} };
  for (const want of request.wants) {
    if (!(await exists(context, want))) throw new ObjectsError("not-our-ref", `${want} is not an object of this repository`);
  }
  const common: string[] = [];
  for (const have of request.haves) if (await exists(context, have)) common.push(have);
  const known = await reachable(context, common);
  const send = await reachable(context, request.wants, known);
  const { packfile } = await git.packObjects({ ...context, oids: [...send], write: false });
  return packResponse(common[0], packfile!);
}
