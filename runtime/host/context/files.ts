// `$.fsx`: the object's own files, rooted at `/`; small files in its SQLite, large ones in R2 under a content hash.

/** Bytes kept inline in SQLite; larger files go to R2 (a Durable Object value holds at most 2 MB). */
export const INLINE_FILE_BYTES = 1_000_000;
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
const MAX_PATH = 1024;

export const FILES_SCHEMA = `
  CREATE TABLE IF NOT EXISTS __files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, data BLOB, blob_key TEXT, updated_at INTEGER NOT NULL);
`;

/** A refused file operation (unsafe path, missing file, too large): surfaces as the method's own error. */
export class FileError extends Error {
  override name = "FileError";
}

/** `/a/b.txt`, `a/b.txt` and `./a/b.txt` are one file; `..`, NUL, backslashes and empty segments are refused. */
export function normalizeFilePath(input: unknown): string {
  if (typeof input !== "string") throw new FileError(`a path is a string, got ${typeof input}`);
  if (input.length === 0 || input.length > MAX_PATH) throw new FileError(`a path has 1 to ${MAX_PATH} characters`);
  if (input.includes("\0") || input.includes("\\")) throw new FileError(`unsafe path ${JSON.stringify(input.slice(0, 80))}: NUL and backslashes are not allowed`);
  const segments = input.split("/").filter((segment, index) => !(segment === "" && index === 0) && segment !== ".");
  if (segments.length === 0 || segments.some((segment) => segment === "" || segment === ".." || segment.length > 255)) {
    throw new FileError(`unsafe path ${JSON.stringify(input.slice(0, 80))}: it must stay inside / and name a file`);
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
  return new RegExp(`^${source}$`);
}

const bytesOf = (content: unknown): Uint8Array => {
  if (typeof content === "string") return new TextEncoder().encode(content);
  if (content instanceof Uint8Array) return content;
  if (content instanceof ArrayBuffer) return new Uint8Array(content);
  throw new FileError("file content is a string or bytes");
};

/**
 * A new R2 key for each write: a blob backs one file only, so deleting a file can never remove content that another
 * call is uploading for a file of its own (content-named blobs were shared, and a deletion could land between another
 * call's upload and its row).
 */
const newBlobKey = (prefix: string): string => `${prefix}${crypto.randomUUID()}`;

export interface FilesOptions {
  sql: SqlStorage;
  bucket: R2Bucket;
  /** The R2 key prefix of this object and environment (`fsx/<environment>/<id>/`). */
  prefix: string;
}

type Row = { path: string; size: number; data: ArrayBuffer | null; blob_key: string | null; updated_at: number };

/** Bytes of the files whose content is in R2 (one row each, whether or not blobs are shared): one scan of `__files`. */
export const blobBytesOf = (sql: SqlStorage): number => sql.exec<{ bytes: number }>("SELECT COALESCE(SUM(size), 0) AS bytes FROM __files WHERE blob_key IS NOT NULL").one().bytes;

/** The files of one object in one environment. */
export function createFiles({ sql, bucket, prefix }: FilesOptions) {
  sql.exec(FILES_SCHEMA);
  const row = (path: string) => sql.exec<Row>("SELECT * FROM __files WHERE path = ?", path).toArray()[0];
  // Files written before blobs had keys of their own may share one (named by its content): it goes with the last of them.
  const release = async (key: string | null) => {
    if (key && sql.exec("SELECT 1 FROM __files WHERE blob_key = ?", key).toArray().length === 0) await bucket.delete(key);
  };

  // R2's share of the object's bytes, counted once and then kept by this store's writes and deletes (an ObjectDO is the
  // only writer of its SQLite), so the room check before every write does not scan every file.
  let blobBytes: number | undefined;
  const counted = (change: number) => void (blobBytes = blobBytes === undefined ? undefined : blobBytes + change);

  const files = {
    async readBytes(path: unknown): Promise<Uint8Array> {
      const name = normalizeFilePath(path);
      const found = row(name);
      if (!found) throw new FileError(`no file /${name}`);
      if (found.blob_key === null) return new Uint8Array(found.data ?? new ArrayBuffer(0));
      const object = await bucket.get(found.blob_key);
      if (!object) throw new FileError(`the content of /${name} is missing from storage`);
      return new Uint8Array(await object.arrayBuffer());
    },
    async read(path: unknown): Promise<string> {
      return new TextDecoder().decode(await files.readBytes(path));
    },
    async write(path: unknown, content: unknown): Promise<void> {
      const name = normalizeFilePath(path);
      const bytes = bytesOf(content);
      if (bytes.byteLength > MAX_FILE_BYTES) throw new FileError(`a file holds at most ${MAX_FILE_BYTES} bytes`);
      let key: string | null = null;
      if (bytes.byteLength > INLINE_FILE_BYTES) {
        key = newBlobKey(prefix);
        await bucket.put(key, bytes);
      }
      // Read after the upload, with nothing awaited before the write: the row it replaces, even one that another call
      // wrote to this path while the upload ran.
      const before = row(name);
      const previous = before?.blob_key ?? null;
      sql.exec(
        "INSERT OR REPLACE INTO __files (path, size, data, blob_key, updated_at) VALUES (?, ?, ?, ?, ?)",
        name,
        bytes.byteLength,
        key === null ? bytes : null,
        key,
        Date.now(),
      );
      counted((key === null ? 0 : bytes.byteLength) - (previous === null ? 0 : before!.size));
      if (previous !== key) await release(previous);
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
      await release(found.blob_key);
      return true;
    },
    /** Bytes of this object's files held in R2. */
    blobBytes(): number {
      return (blobBytes ??= blobBytesOf(sql));
    },
    /** Counts again at the next `blobBytes()`: rows were written around this store (a fork's copy). */
    recount(): void {
      blobBytes = undefined;
    },
    /** Path, size and modification time of every file (for gitx and bashx). */
    entries(): Array<{ path: string; size: number; mtime: number }> {
      return sql.exec<{ path: string; size: number; updated_at: number }>("SELECT path, size, updated_at FROM __files ORDER BY path").toArray().map((r) => ({ path: r.path, size: r.size, mtime: r.updated_at }));
    },
  };
  return files;
}

export type Files = ReturnType<typeof createFiles>;

/** Deletes every blob under a prefix (an environment's state is wiped), a listing page at a time. */
export async function deleteFilesUnder(bucket: R2Bucket, prefix: string): Promise<void> {
  for (let listed = await bucket.list({ prefix }); listed.objects.length > 0; listed = await bucket.list({ prefix })) {
    await bucket.delete(listed.objects.map((object) => object.key));
    if (!listed.truncated) break;
  }
}
