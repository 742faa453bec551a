// `$.fsx`: the object's own files, rooted at `/`, in the facet's SQLite; files over the inline limit live in R2,
// reached through the host (a facet has no bindings), each under a key of its own. Part of the prelude.
import { decodeText, encodeText, NativeArrayBuffer, NativeError, NativeRegExp, NativeUint8Array, now, stringify } from "./intrinsics.ts";

/** Bytes kept inline in SQLite; larger files go to R2 (a Durable Object value holds at most 2 MB). */
export const INLINE_FILE_BYTES = 1_000_000;
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
const MAX_PATH = 1024;

/** `shared`: a fork was cloned while this row's blob existed, so the blob is never deleted while the object lives. */
export const FILES_SCHEMA = `
  CREATE TABLE IF NOT EXISTS __files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, data BLOB, blob_key TEXT, updated_at INTEGER NOT NULL,
    shared INTEGER NOT NULL DEFAULT 0);
`;

/** A refused file operation (unsafe path, missing file, too large): surfaces as the method's own error. */
export class FileError extends NativeError {
  override name = "FileError";
}

/** Where blobs of large files live: the host's R2, under this object's environment (the host picks each key). */
export interface BlobPort {
  putBlob(bytes: Uint8Array): Promise<string>;
  getBlob(key: string): Promise<Uint8Array | null>;
  /** Deletes a blob of this environment (the host ignores a key of another: a fork's rows may name production's). */
  deleteBlob(key: string): Promise<void>;
}

/** `/a/b.txt`, `a/b.txt` and `./a/b.txt` are one file; `..`, NUL, backslashes and empty segments are refused. */
export function normalizeFilePath(input: unknown): string {
  if (typeof input !== "string") throw new FileError(`a path is a string, got ${typeof input}`);
  if (input.length === 0 || input.length > MAX_PATH) throw new FileError(`a path has 1 to ${MAX_PATH} characters`);
  if (input.includes("\0") || input.includes("\\")) throw new FileError(`unsafe path ${stringify(input.slice(0, 80))}: NUL and backslashes are not allowed`);
  const segments = input.split("/").filter((segment, index) => !(segment === "" && index === 0) && segment !== ".");
  if (segments.length === 0 || segments.some((segment) => segment === "" || segment === ".." || segment.length > 255)) {
    throw new FileError(`unsafe path ${stringify(input.slice(0, 80))}: it must stay inside / and name a file`);
  }
  // $.gitx keeps its repository there.
  if (segments[0]!.toLowerCase() === ".git") throw new FileError("unsafe path: /.git is reserved for $.gitx");
  return segments.join("/");
}

/** A glob (`*` within a segment, `**` across segments, `?` one character) as an anchored, linear-time regex. */
export function globToRegExp(glob: string): RegExp {
  const pattern = glob.replace(/^\/+/, "") || "**";
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      const slash = pattern[i + 2] === "/";
      source += slash ? "(?:[^/]*/)*" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new NativeRegExp(`^${source}$`);
}

const bytesOf = (content: unknown): Uint8Array => {
  if (typeof content === "string") return encodeText(content);
  if (content instanceof NativeUint8Array) return content;
  if (content instanceof NativeArrayBuffer) return new NativeUint8Array(content);
  throw new FileError("file content is a string or bytes");
};

type Row = { path: string; size: number; data: ArrayBuffer | null; blob_key: string | null; updated_at: number; shared: number };

/** Bytes of the files whose content is in R2: one scan of `__files`. */
export const blobBytesOf = (sql: SqlStorage): number => sql.exec<{ bytes: number }>("SELECT COALESCE(SUM(size), 0) AS bytes FROM __files WHERE blob_key IS NOT NULL").one().bytes;

/** R2's share of the object's bytes, counted once and then kept by the writes and deletes (the facet is the only writer). */
export interface BlobCount {
  bytes?: number;
}

/** The files of one object in one environment; `blobs` carries large contents (one port per call). */
export function createFiles(sql: SqlStorage, blobs: BlobPort, count: BlobCount) {
  const row = (path: string) => sql.exec<Row>("SELECT * FROM __files WHERE path = ?", path).toArray()[0];
  // A blob goes with the last row naming it (rows written before blobs had keys of their own may share one), unless
  // a fork may name it too.
  const release = async (key: string | null, shared: boolean) => {
    if (key && !shared && sql.exec("SELECT 1 FROM __files WHERE blob_key = ?", key).toArray().length === 0) await blobs.deleteBlob(key);
  };
  const counted = (change: number) => {
    if (count.bytes !== undefined) count.bytes += change;
  };

  const files = {
    async readBytes(path: unknown): Promise<Uint8Array> {
      const name = normalizeFilePath(path);
      const found = row(name);
      if (!found) throw new FileError(`no file /${name}`);
      if (found.blob_key === null) return new NativeUint8Array(found.data ?? new NativeArrayBuffer(0));
      const content = await blobs.getBlob(found.blob_key);
      if (!content) throw new FileError(`the content of /${name} is missing from storage`);
      return content;
    },
    async read(path: unknown): Promise<string> {
      return decodeText(await files.readBytes(path));
    },
    async write(path: unknown, content: unknown): Promise<void> {
      const name = normalizeFilePath(path);
      const bytes = bytesOf(content);
      if (bytes.byteLength > MAX_FILE_BYTES) throw new FileError(`a file holds at most ${MAX_FILE_BYTES} bytes`);
      const key = bytes.byteLength > INLINE_FILE_BYTES ? await blobs.putBlob(bytes) : null;
      // Read after the upload, with nothing awaited before the write: the row it replaces, even one that another call
      // wrote to this path while the upload ran.
      const before = row(name);
      sql.exec(
        "INSERT OR REPLACE INTO __files (path, size, data, blob_key, updated_at, shared) VALUES (?, ?, ?, ?, ?, 0)",
        name,
        bytes.byteLength,
        key === null ? bytes : null,
        key,
        now(),
      );
      counted((key === null ? 0 : bytes.byteLength) - (before?.blob_key ? before.size : 0));
      if (before && before.blob_key !== key) await release(before.blob_key, before.shared === 1);
    },
    async list(glob?: unknown): Promise<string[]> {
      const pattern = globToRegExp(typeof glob === "string" ? glob : "**");
      return sql.exec<{ path: string }>("SELECT path FROM __files ORDER BY path").toArray().map((r) => r.path).filter((path) => pattern.test(path)).map((path) => `/${path}`);
    },
    async delete(path: unknown): Promise<boolean> {
      const name = normalizeFilePath(path);
      const found = row(name);
      if (!found) return false;
      sql.exec("DELETE FROM __files WHERE path = ?", name);
      if (found.blob_key !== null) counted(-found.size);
      await release(found.blob_key, found.shared === 1);
      return true;
    },
    /** Path, size and modification time of every file (for gitx and bashx, which run in the host). */
    async entries(): Promise<Array<{ path: string; size: number; mtime: number }>> {
      return sql.exec<{ path: string; size: number; updated_at: number }>("SELECT path, size, updated_at FROM __files ORDER BY path").toArray().map((r) => ({ path: r.path, size: r.size, mtime: r.updated_at }));
    },
  };
  return files;
}

export type Files = ReturnType<typeof createFiles>;
