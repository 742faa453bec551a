// What one fetch sends (gitprotocol-pack, gitprotocol-v2): the haves found common, whether that is enough to send a
// pack, the new shallow boundary, and every object the client lacks: commits within the asked depth, then their trees
// and blobs as the filter allows, and annotated tags pointing into them.
import git from "isomorphic-git";
import { ObjectsError } from "../../core/index.ts";
import type { FetchRequest, ObjectFilter } from "./protocol/fetch-request.ts";

export type ObjectContext = { fs: unknown; gitdir: string; cache: object };
type Commit = { tree: string; parent: string[]; committer: { timestamp: number } };

export interface FetchPlan {
  common: string[];
  /** Every want descends from a common have (or nothing is had): the pack can be sent without more rounds. */
  ready: boolean;
  shallow: string[];
  unshallow: string[];
  objects: string[];
}

async function readObject(context: ObjectContext, oid: string) {
  return git.readObject({ ...(context as Parameters<typeof git.readObject>[0]), oid });
}

async function exists(context: ObjectContext, oid: string): Promise<boolean> {
  try {
    await git.readObject({ ...(context as Parameters<typeof git.readObject>[0]), oid, format: "deflated" });
    return true;
  } catch {
    return false;
  }
}

/** What `oid` names once its annotated tags are followed (at most 10 deep), with the tags passed on the way. */
export async function peel(context: ObjectContext, oid: string): Promise<{ oid: string; type: string; object: unknown; tags: string[] }> {
  const tags: string[] = [];
  let read = await readObject(context, oid);
  for (let hops = 0; read.type === "tag" && hops < 10; hops++) {
    tags.push(oid);
    oid = (read.object as { object: string }).object;
    read = await readObject(context, oid);
  }
  return { oid, type: read.type, object: read.object, tags };
}

/** The commit `oid` names (through tags), or undefined for a tree or blob. */
async function commitAt(context: ObjectContext, oid: string): Promise<[string, Commit] | undefined> {
  const peeled = await peel(context, oid);
  return peeled.type === "commit" ? [peeled.oid, peeled.object as Commit] : undefined;
}

/** Commits reachable from `roots`, not walking past `stop` nor the parents of `boundary` (a shallow client's). */
async function commitsFrom(context: ObjectContext, roots: readonly string[], stop: ReadonlySet<string>, boundary: ReadonlySet<string> = new Set()): Promise<Map<string, Commit>> {
  const seen = new Map<string, Commit>();
  const queue = [...roots];
  while (queue.length > 0) {
    const found = await commitAt(context, queue.pop()!);
    if (!found || seen.has(found[0]) || stop.has(found[0])) continue;
    const [oid, commit] = found;
    seen.set(oid, commit);
    if (!boundary.has(oid)) queue.push(...commit.parent);
  }
  return seen;
}

/** Commits within `depth` of `roots` (a root is depth 1), and those at the edge whose parents are left out. */
async function commitsWithin(context: ObjectContext, roots: readonly string[], depth: number): Promise<{ commits: Map<string, Commit>; edge: Set<string> }> {
  const commits = new Map<string, Commit>();
  const edge = new Set<string>();
  let level = [...new Set(roots)];
  for (let d = 1; level.length > 0 && d <= depth; d++) {
    const next: string[] = [];
    for (const root of level) {
      const found = await commitAt(context, root);
      if (!found || commits.has(found[0])) continue;
      const [oid, commit] = found;
      commits.set(oid, commit);
      if (d === depth && commit.parent.length > 0) edge.add(oid);
      else next.push(...commit.parent);
    }
    level = next;
  }
  for (const oid of edge) if (commits.get(oid)!.parent.every((parent) => commits.has(parent))) edge.delete(oid);
  return { commits, edge };
}

/** Trees and blobs under `roots` that the filter lets through and `known` does not hold, added to `out`. */
async function contentOf(context: ObjectContext, roots: readonly string[], known: ReadonlySet<string>, filter: ObjectFilter | undefined, out: Set<string>): Promise<void> {
  if (filter?.kind === "tree:0") return;
  const queue = roots.filter((oid) => !known.has(oid));
  while (queue.length > 0) {
    const oid = queue.pop()!;
    if (out.has(oid) || known.has(oid)) continue;
    out.add(oid);
    const { object } = await readObject(context, oid);
    for (const entry of object as Array<{ mode: string; oid: string; type: string }>) {
      if (entry.mode === "160000" || known.has(entry.oid) || out.has(entry.oid)) continue;
      if (entry.type === "tree") queue.push(entry.oid);
      else if (entry.type === "blob" && filter?.kind !== "blob:none") {
        if (filter?.kind === "blob:limit" && ((await readObject(context, entry.oid)).object as Uint8Array).byteLength > filter.bytes) continue;
        out.add(entry.oid);
      }
    }
  }
}

/**
 * What the client surely has, to leave out: every commit reachable from its common haves, and the trees and blobs of
 * those haves themselves. Older trees are not walked (that would read the whole history on every fetch): an old
 * object that comes back in a new commit is sent again, which costs bytes, never correctness.
 */
async function knownObjects(context: ObjectContext, had: Map<string, Commit>, common: readonly string[]): Promise<Set<string>> {
  const known = new Set<string>(had.keys());
  const tips = common.flatMap((oid) => (had.has(oid) ? [had.get(oid)!.tree] : []));
  await contentOf(context, tips, new Set(), undefined, known);
  return known;
}

/** The commit ids `deepen-not` names (a full ref, a branch or a tag name, or an id). */
const excludedTips = (names: readonly string[], refs: ReadonlyArray<[string, string]>) =>
  names.map((name) => refs.find(([ref]) => ref === name || ref === `refs/heads/${name}` || ref === `refs/tags/${name}`)?.[1] ?? name).filter((oid) => /^[0-9a-f]{40}$/.test(oid));

/** The commits to send and the shallow edge among them, as the request's depth options ask. */
async function selectCommits(context: ObjectContext, request: FetchRequest, wants: string[], reached: Map<string, Commit>, clientShallow: Set<string>, refs: ReadonlyArray<[string, string]>) {
  if (request.deepenSince !== undefined || request.deepenNot.length > 0) {
    const excluded = await commitsFrom(context, excludedTips(request.deepenNot, refs), new Set());
    const keep = (oid: string, commit: Commit) => wants.includes(oid) || (!excluded.has(oid) && (request.deepenSince === undefined || commit.committer.timestamp >= request.deepenSince));
    const commits = new Map([...(await commitsFrom(context, wants, new Set()))].filter(([oid, commit]) => keep(oid, commit)));
    return { commits, edge: new Set([...commits].filter(([, commit]) => commit.parent.some((parent) => !commits.has(parent))).map(([oid]) => oid)) };
  }
  if (request.deepen === undefined) return { commits: reached, edge: new Set<string>() };
  if (!request.deepenRelative) return commitsWithin(context, wants, request.deepen);
  // Relative: as deep again below the client's boundary as it asks, plus what is new above it.
  const below = await commitsWithin(context, [...clientShallow], request.deepen + 1);
  return { commits: new Map([...reached, ...below.commits]), edge: below.edge };
}

/** The plan of one fetch; `refs` resolves `deepen-not` names and finds tags for `include-tag`. */
export async function planFetch(context: ObjectContext, request: FetchRequest, refs: ReadonlyArray<[string, string]>): Promise<FetchPlan> {
  for (const want of request.wants) {
    if (!(await exists(context, want))) throw new ObjectsError("not-our-ref", `${want} is not an object of this repository`);
  }
  // A wanted annotated tag is sent itself, and what it points at is wanted in its place (a root at depth 1).
  const tags = new Set<string>();
  const wants: string[] = [];
  for (const want of request.wants) {
    const peeled = await peel(context, want);
    for (const tag of peeled.tags) tags.add(tag);
    wants.push(peeled.oid);
  }
  const common: string[] = [];
  for (const have of request.haves) if (await exists(context, have)) common.push(have);
  const clientShallow = new Set<string>();
  for (const oid of request.shallow) if (await exists(context, oid)) clientShallow.add(oid);
  const had = await commitsFrom(context, common, new Set(), clientShallow);
  const reached = await commitsFrom(context, wants, new Set(had.keys()));
  // Ready to send a pack: the client is done, has nothing, or a have of its was found common (more rounds would only
  // trim what that leaves to send). Haves and none common: answer NAK and let it send older ones.
  const ready = request.done || request.haves.length === 0 || common.length > 0;

  const { commits, edge } = await selectCommits(context, request, wants, reached, clientShallow, refs);
  const shallowRequest = request.deepen !== undefined || request.deepenSince !== undefined || request.deepenNot.length > 0;
  const shallow = shallowRequest ? [...edge].filter((oid) => !clientShallow.has(oid)) : [];
  const unshallow = shallowRequest ? [...clientShallow].filter((oid) => commits.has(oid) && !edge.has(oid)) : [];

  // `had` stops at the client's boundary, so the parents of a commit it unshallows are sent as new.
  const sendCommits = [...commits.keys()].filter((oid) => !had.has(oid));
  const known = await knownObjects(context, had, common);
  const objects = new Set<string>(sendCommits);
  await contentOf(context, sendCommits.map((oid) => commits.get(oid)!.tree), known, request.filter, objects);
  // Wanted trees, blobs and tags (a partial clone fetching what it left out, a tag by name).
  for (const want of wants) {
    if (commits.has(want) || known.has(want)) continue;
    const { type } = await readObject(context, want);
    objects.add(want);
    if (type === "tree") await contentOf(context, [want], known, undefined, objects);
  }
  for (const tag of tags) if (!known.has(tag)) objects.add(tag);
  if (request.includeTag) {
    for (const [name, oid] of refs) {
      if (!name.startsWith("refs/tags/") || objects.has(oid) || known.has(oid)) continue;
      const { type, object } = await readObject(context, oid);
      if (type === "tag" && objects.has((object as { object: string }).object)) objects.add(oid);
    }
  }
  return { common, ready, shallow, unshallow, objects: [...objects] };
}
