// The file system $.gitx's isomorphic-git sees: the work tree is the object's fsx files, `.git/` lives in its SQLite.
import type { Files } from "./files.ts";

export const GIT_SCHEMA = `CREATE TABLE IF NOT EXISTS __git (path TEXT PRIMARY KEY, data BLOB NOT NULL, mtime INTEGER NOT NULL);`;
/** A git object is one SQLite value: a compressed object must stay under the 2 MB a value may hold. */
const MAX_GIT_FILE = 1_900_000;

const fsError = (code: "ENOENT" | "ENOTDIR" | "EISDIR", path: string) => Object.assign(new Error(`${code}: ${path}`), { code });
const strip = (path: string) => path.split("/").filter((part) => part !== "" && part !== ".").join("/");
const isGit = (path: string) => path === ".git" || path.startsWith(".git/");

function stat(type: "file" | "dir", size: number, mtime: number) {
  const seconds = Math.floor(mtime / 1000);
  return {
    type,
    mode: type === "file" ? 0o100644 : 0o040000,
    size,
    ino: 0,
    dev: 0,
    uid: 0,
    gid: 0,
    mtimeMs: mtime,
    ctimeMs: mtime,
    mtimeSeconds: seconds,
    ctimeSeconds: seconds,
    mtimeNanoseconds: 0,
    ctimeNanoseconds: 0,
    isFile: () => type === "file",
    isDirectory: () => type === "dir",
    isSymbolicLink: () => false,
  };
}

/** An isomorphic-git `fs` over one object's storage (dir `/`, gitdir `/.git`). */
export function createGitFs(sql: SqlStorage, files: Files) {
  sql.exec(GIT_SCHEMA);
  const gitRow = (path: string) => sql.exec<{ data: ArrayBuffer; mtime: number }>("SELECT data, mtime FROM __git WHERE path = ?", path).toArray()[0];
  const gitPaths = () => sql.exec<{ path: string }>("SELECT path FROM __git").toArray().map((row) => row.path);
  const workPaths = () => files.entries().map((entry) => entry.path);
  const children = (dir: string, paths: string[]) => {
    const prefix = dir === "" ? "" : `${dir}/`;
    return [...new Set(paths.filter((path) => path.startsWith(prefix) && path !== dir).map((path) => path.slice(prefix.length).split("/")[0]!))];
  };
  const isDirectory = (path: string) => path === "" || (isGit(path) ? path === ".git" || gitPaths().some((p) => p.startsWith(`${path}/`)) : workPaths().some((p) => p.startsWith(`${path}/`)));

  const promises = {
    async readFile(raw: string, options?: string | { encoding?: string }) {
      const path = strip(raw);
      let bytes: Uint8Array;
      if (isGit(path)) {
        const row = gitRow(path);
        if (!row) throw fsError(isDirectory(path) ? "EISDIR" : "ENOENT", path);
        bytes = new Uint8Array(row.data);
      } else {
        if (!workPaths().includes(path)) throw fsError(isDirectory(path) ? "EISDIR" : "ENOENT", path);
        bytes = await files.readBytes(path);
      }
      const encoding = typeof options === "string" ? options : options?.encoding;
      return encoding === "utf8" ? new TextDecoder().decode(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    async writeFile(raw: string, data: string | Uint8Array) {
      const path = strip(raw);
      const bytes = typeof data === "string" ? new TextEncoder().encode(data) : new Uint8Array(data);
      if (!isGit(path)) return files.write(path, bytes);
      if (bytes.byteLength > MAX_GIT_FILE) throw new Error(`$.gitx keeps objects up to ${MAX_GIT_FILE} bytes compressed; ${path} is larger`);
      sql.exec("INSERT OR REPLACE INTO __git (path, data, mtime) VALUES (?, ?, ?)", path, bytes, Date.now());
    },
    async unlink(raw: string) {
      const path = strip(raw);
      if (isGit(path)) sql.exec("DELETE FROM __git WHERE path = ?", path);
      else if (!(await files.delete(path))) throw fsError("ENOENT", path);
    },
    async readdir(raw: string) {
      const path = strip(raw);
      if (!isDirectory(path)) throw fsError("ENOENT", path);
      if (path === "") return [...new Set([...children("", workPaths()), ...(gitPaths().length ? [".git"] : [])])];
      return children(path, isGit(path) ? gitPaths() : workPaths());
    },
    async mkdir() {},
    async rmdir() {},
    async stat(raw: string) {
      const path = strip(raw);
      if (isGit(path)) {
        const row = gitRow(path);
        if (row) return stat("file", row.data.byteLength, row.mtime);
      } else {
        const entry = files.entries().find((e) => e.path === path);
        if (entry) return stat("file", entry.size, entry.mtime);
      }
      if (isDirectory(path)) return stat("dir", 0, 0);
      throw fsError("ENOENT", path);
    },
    async lstat(raw: string) {
      return promises.stat(raw);
    },
    async readlink(raw: string): Promise<string> {
      throw fsError("ENOENT", strip(raw));
    },
    async symlink(): Promise<void> {
      throw fsError("ENOENT", "symlink");
    },
    async chmod(): Promise<void> {},
  };
  return { promises };
}
