// The file system $.gitx's isomorphic-git sees: the work tree is the object's fsx files, `.git/` rows beside them in
// the facet's SQLite (both reached over RPC: object-files.ts).
import type { GitRows, ObjectFiles } from "./object-files.ts";
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
export function createGitFs(rows: GitRows, files: ObjectFiles) {
  const workPaths = async () => (await files.entries()).map((entry) => entry.path);
  const children = (dir: string, paths: string[]) => {
    const prefix = dir === "" ? "" : `${dir}/`;
    return [...new Set(paths.filter((path) => path.startsWith(prefix) && path !== dir).map((path) => path.slice(prefix.length).split("/")[0]!))];
  };
  const isDirectory = async (path: string) =>
    path === "" || (isGit(path) ? path === ".git" || (await rows.paths()).some((p) => p.startsWith(`${path}/`)) : (await workPaths()).some((p) => p.startsWith(`${path}/`)));

  const promises = {
    async readFile(raw: string, options?: string | { encoding?: string }) {
      const path = strip(raw);
      let bytes: Uint8Array;
      if (isGit(path)) {
        const row = await rows.read(path);
        if (!row) throw fsError((await isDirectory(path)) ? "EISDIR" : "ENOENT", path);
        bytes = row.data;
      } else {
        if (!(await workPaths()).includes(path)) throw fsError((await isDirectory(path)) ? "EISDIR" : "ENOENT", path);
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
      await rows.write(path, bytes);
    },
    async unlink(raw: string) {
      const path = strip(raw);
      if (isGit(path)) await rows.delete(path);
      else if (!(await files.delete(path))) throw fsError("ENOENT", path);
    },
    async readdir(raw: string) {
      const path = strip(raw);
      if (!(await isDirectory(path))) throw fsError("ENOENT", path);
      if (path === "") return [...new Set([...children("", await workPaths()), ...((await rows.paths()).length ? [".git"] : [])])];
      return children(path, isGit(path) ? await rows.paths() : await workPaths());
    },
    async mkdir() {},
    async rmdir() {},
    async stat(raw: string) {
      const path = strip(raw);
      if (isGit(path)) {
        const row = await rows.read(path);
        if (row) return stat("file", row.data.byteLength, row.mtime);
      } else {
        const entry = (await files.entries()).find((e) => e.path === path);
        if (entry) return stat("file", entry.size, entry.mtime);
      }
      if (await isDirectory(path)) return stat("dir", 0, 0);
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
