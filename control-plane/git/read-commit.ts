// Reads one commit out of the object store: its metadata, and its tree as the entries the compiler takes.
import git from "isomorphic-git";
import { ObjectsError } from "../../core/index.ts";
import { decodeUtf8, definitionPaths, MAX_DEFINITION_FILE_BYTES, type RepoEntry } from "../../definitions/index.ts";
import type { ObjectFs } from "./object-fs.ts";

export const MAX_TREE_ENTRIES = 20_000;
export const MAX_TREE_DEPTH = 32;

export interface CommitInfo {
  oid: string;
  tree: string;
  author: string;
  message: string;
  /** ISO time of the author date. */
  time: string;
}

type Context = { fs: ObjectFs["fs"]; gitdir: string; cache: object };

// A name git itself would never check out: it could escape its folder or reach the repository's own files.
const UNSAFE_NAME = /^(\.|\.\.|\.git)$|[/\\\0]|^$/i;

/** The commit an object id names, peeling annotated tags; throws `not-a-commit` (400) for trees and blobs. */
export async function readCommitInfo(context: Context, oid: string): Promise<CommitInfo> {
  let target = oid;
  for (let depth = 0; depth < 8; depth++) {
    const { type, object } = await git.readObject({ ...context, oid: target });
    if (type === "commit") {
      const { commit } = await git.readCommit({ ...context, oid: target });
      return {
        oid: target,
        tree: commit.tree,
        author: `${commit.author.name} <${commit.author.email}>`,
        message: commit.message.trim().split("\n")[0] ?? "",
        time: new Date(commit.author.timestamp * 1000).toISOString(),
      };
    }
    if (type !== "tag") break;
    target = (object as { object: string }).object ?? (await git.readTag({ ...context, oid: target })).tag.object;
  }
  throw new ObjectsError("not-a-commit", `${oid.slice(0, 12)} is not a commit`);
}

/**
 * Every entry of a tree, recursively, with content for definition files only (everything else is never read).
 * Stops with `tree-too-large` past MAX_TREE_ENTRIES or MAX_TREE_DEPTH: the work is bounded by the head tree.
 */
export async function readTreeEntries(context: Context, tree: string): Promise<RepoEntry[]> {
  const found: Array<{ path: string; mode: string; oid: string }> = [];
  const unsafe: RepoEntry[] = [];
  const walk = async (oid: string, prefix: string, depth: number): Promise<void> => {
    if (depth > MAX_TREE_DEPTH) throw new ObjectsError("tree-too-large", `the tree nests deeper than ${MAX_TREE_DEPTH} levels`);
    let entries;
    try {
      ({ tree: entries } = await git.readTree({ ...context, oid }));
    } catch (error) {
      // isomorphic-git refuses to parse a tree holding `..`, `.git` or similar names: the commit is refused.
      const { code, data } = error as { code?: string; data?: { filepath?: string } };
      if (code !== "UnsafeFilepathError") throw error;
      unsafe.push({ kind: "unsafe", path: `${prefix}${data?.filepath ?? "?"}` });
      return;
    }
    for (const entry of entries) {
      const path = `${prefix}${entry.path}`;
      if (UNSAFE_NAME.test(entry.path)) {
        unsafe.push({ kind: "unsafe", path });
        continue;
      }
      if (found.length >= MAX_TREE_ENTRIES) throw new ObjectsError("tree-too-large", `the tree holds more than ${MAX_TREE_ENTRIES} entries`);
      if (entry.type === "tree") await walk(entry.oid, `${path}/`, depth + 1);
      else found.push({ path, mode: entry.mode, oid: entry.oid });
    }
  };
  await walk(tree, "", 0);
  const regular = found.filter((entry) => entry.mode === "100644" || entry.mode === "100755");
  const wanted = new Set(definitionPaths(found.map((entry) => entry.path)));
  const entries: RepoEntry[] = [...unsafe];
  for (const entry of found) {
    if (entry.mode === "120000") entries.push({ kind: "symlink", path: entry.path });
    else if (entry.mode === "160000") entries.push({ kind: "submodule", path: entry.path });
  }
  for (const entry of regular) {
    if (!wanted.has(entry.path)) continue;
    const { blob } = await git.readBlob({ ...context, oid: entry.oid });
    if (blob.byteLength > MAX_DEFINITION_FILE_BYTES) {
      entries.push({ kind: "too-large", path: entry.path, bytes: blob.byteLength });
      continue;
    }
    const text = decodeUtf8(blob);
    entries.push(text.ok ? { kind: "file", path: entry.path, content: text.text } : { kind: "not-utf8", path: entry.path, line: text.line, column: text.column });
  }
  return entries;
}
