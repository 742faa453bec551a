// The file system isomorphic-git sees for one request: a bare repository whose packs load lazily from the PackStore.
import type { PackStore } from "./ports.ts";

type Stat = { type: "file" | "dir"; mode: number; size: number; ino: number; mtimeMs: number; ctimeMs: number; uid: number; gid: number; dev: number; isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean };

const fsError = (code: "ENOENT" | "ENOTDIR" | "EISDIR", path: string) => Object.assign(new Error(`${code}: ${path}`), { code });
const normalize = (path: string) => path.split("/").filter((part) => part !== "" && part !== ".").join("/");

function stat(type: "file" | "dir", size: number): Stat {
  return {
    type,
    mode: type === "file" ? 0o100644 : 0o040000,
    size,
    ino: 0,
    mtimeMs: 0,
    ctimeMs: 0,
    uid: 1,
    gid: 1,
    dev: 1,
    isFile: () => type === "file",
    isDirectory: () => type === "dir",
    isSymbolicLink: () => false,
  };
}

/**
 * A bare repository at `/`: `objects/pack/*` read on demand from the store (packs are immutable), everything
 * isomorphic-git writes kept in memory for this request. `written()` hands back what it wrote (a new `.idx`).
 */
export function createObjectFs(store: Pick<PackStore, "read">, packNames: readonly string[]) {
  const files = new Map<string, Uint8Array>();
  const lazy = new Set(packNames.flatMap((name) => [`objects/pack/${name}.pack`, `objects/pack/${name}.idx`]));
  const directories = new Set(["", "objects", "objects/pack", "refs", "refs/heads", "refs/tags"]);

  const exists = (path: string) => files.has(path) || lazy.has(path);
  // A folder exists when it was made, or when any file lies under it (isomorphic-git writes without mkdir -p).
  const isDirectory = (path: string) => directories.has(path) || [...files.keys(), ...lazy].some((file) => file.startsWith(`${path}/`));
  const children = (dir: string) => {
    const prefix = dir === "" ? "" : `${dir}/`;
    const names = new Set<string>();
    for (const path of [...files.keys(), ...lazy, ...directories]) {
      if (path !== dir && path.startsWith(prefix)) names.add(path.slice(prefix.length).split("/")[0]!);
    }
    return [...names];
  };

  async function read(path: string): Promise<Uint8Array> {
    const cached = files.get(path);
    if (cached) return cached;
    if (!lazy.has(path)) throw fsError(isDirectory(path) ? "EISDIR" : "ENOENT", path);
    const bytes = await store.read(path.slice("objects/pack/".length));
    files.set(path, bytes);
    return bytes;
  }

  const promises = {
    async readFile(raw: string, options?: string | { encoding?: string }) {
      const bytes = await read(normalize(raw));
      const encoding = typeof options === "string" ? options : options?.encoding;
      return encoding === "utf8" ? new TextDecoder().decode(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    async writeFile(raw: string, data: string | Uint8Array) {
      const path = normalize(raw);
      files.set(path, typeof data === "string" ? new TextEncoder().encode(data) : new Uint8Array(data));
    },
    async unlink(raw: string) {
      const path = normalize(raw);
      if (!exists(path)) throw fsError("ENOENT", path);
      files.delete(path);
      lazy.delete(path);
    },
    async readdir(raw: string) {
      const path = normalize(raw);
      if (!isDirectory(path)) throw fsError(exists(path) ? "ENOTDIR" : "ENOENT", path);
      return children(path);
    },
    async mkdir(raw: string) {
      directories.add(normalize(raw));
    },
    async rmdir(raw: string) {
      directories.delete(normalize(raw));
    },
    async stat(raw: string) {
      const path = normalize(raw);
      if (isDirectory(path)) return stat("dir", 0);
      if (exists(path)) return stat("file", files.get(path)?.byteLength ?? 0);
      throw fsError("ENOENT", path);
    },
    async lstat(raw: string) {
      return promises.stat(raw);
    },
    async readlink(raw: string): Promise<string> {
      throw fsError("ENOENT", normalize(raw));
    },
    async symlink(): Promise<void> {
      throw fsError("ENOENT", "symlink");
    },
    async chmod(): Promise<void> {},
  };

  return {
    fs: { promises },
    /** A file written during this request (e.g. the `.idx` indexPack produced). */
    file: (path: string) => files.get(normalize(path)),
    put: (path: string, bytes: Uint8Array) => void files.set(normalize(path), bytes),
  };
}

export type ObjectFs = ReturnType<typeof createObjectFs>;
