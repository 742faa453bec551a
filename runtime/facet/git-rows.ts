// The `.git/` directory of `$.gitx`, in the facet's SQLite: one row per file. isomorphic-git runs in the host (too
// large to load with every definition) and reaches these rows over RPC. Part of the prelude.
import { NativeUint8Array, now } from "./intrinsics.ts";

export const GIT_SCHEMA = `CREATE TABLE IF NOT EXISTS __git (path TEXT PRIMARY KEY, data BLOB NOT NULL, mtime INTEGER NOT NULL);`;

export function createGitRows(sql: SqlStorage) {
  sql.exec(GIT_SCHEMA);
  return {
    read(path: string): { data: Uint8Array; mtime: number } | null {
      const row = sql.exec<{ data: ArrayBuffer; mtime: number }>("SELECT data, mtime FROM __git WHERE path = ?", path).toArray()[0];
      return row ? { data: new NativeUint8Array(row.data), mtime: row.mtime } : null;
    },
    write(path: string, data: Uint8Array): void {
      sql.exec("INSERT OR REPLACE INTO __git (path, data, mtime) VALUES (?, ?, ?)", path, data, now());
    },
    delete(path: string): void {
      sql.exec("DELETE FROM __git WHERE path = ?", path);
    },
    paths(): string[] {
      return sql.exec<{ path: string }>("SELECT path FROM __git").toArray().map((row) => row.path);
    },
  };
}

export type GitRows = ReturnType<typeof createGitRows>;
