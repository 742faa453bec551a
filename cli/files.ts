// The working tree as the compiler sees a commit: every file under a folder (but .git and node_modules), symlinks
// and oversized files marked as such, paths relative and '/'-separated.
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { decodeUtf8, MAX_DEFINITION_FILE_BYTES, type RepoEntry } from "../definitions/index.ts";

const SKIPPED = new Set([".git", "node_modules"]);

export function readWorkingTree(root: string): RepoEntry[] {
  const entries: RepoEntry[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      if (SKIPPED.has(name)) continue;
      const full = join(folder, name);
      const path = relative(root, full).split(sep).join("/");
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) entries.push({ kind: "symlink", path });
      else if (stat.isDirectory()) walk(full);
      else if (stat.size > MAX_DEFINITION_FILE_BYTES) entries.push({ kind: "too-large", path, bytes: stat.size });
      else {
        const text = decodeUtf8(readFileSync(full));
        entries.push(text.ok ? { kind: "file", path, content: text.text } : { kind: "not-utf8", path, line: text.line, column: text.column });
      }
    }
  };
  walk(root);
  return entries;
}
