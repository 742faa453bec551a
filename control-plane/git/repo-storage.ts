// The storage of one repository inside its RepoDO: refs and pack names in SQLite, pack bytes in R2.
import type { BranchObjects } from "./receive-pack.ts";
import type { PackStore, RepoRefs } from "./ports.ts";

export const REPO_SCHEMA = `
  CREATE TABLE IF NOT EXISTS refs (name TEXT PRIMARY KEY, oid TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS packs (name TEXT PRIMARY KEY, bytes INTEGER NOT NULL, stored_at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS retired_packs (name TEXT PRIMARY KEY, retired_at INTEGER NOT NULL);
`;

/** How long a merged pack's bytes stay in R2 after a repack unlisted it: longer than any request runs. */
export const RETIRED_PACK_GRACE_MS = 10 * 60_000;

const BRANCH_OBJECTS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS branch_objects (branch TEXT NOT NULL, id TEXT NOT NULL, commit_oid TEXT NOT NULL, PRIMARY KEY (branch, id));
`;

/** Refs in SQLite; each update is one synchronous statement, so it cannot interleave with another. */
export function sqlRepoRefs(sql: SqlStorage, defaultBranch = "main"): RepoRefs {
  return {
    async list() {
      return sql.exec<{ name: string; oid: string }>("SELECT name, oid FROM refs ORDER BY name").toArray().map((row): [string, string] => [row.name, row.oid]);
    },
    async head() {
      return sql.exec<{ value: string }>("SELECT value FROM settings WHERE key = 'head'").toArray()[0]?.value ?? `refs/heads/${defaultBranch}`;
    },
    async compareAndSet(ref, old, next) {
      const current = sql.exec<{ oid: string }>("SELECT oid FROM refs WHERE name = ?", ref).toArray()[0]?.oid ?? null;
      if (current !== (old === "0".repeat(40) ? null : old)) return false;
      if (next === null) sql.exec("DELETE FROM refs WHERE name = ?", ref);
      else sql.exec("INSERT INTO refs (name, oid) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET oid = excluded.oid", ref, next);
      return true;
    },
  };
}

/** Which objects each branch published, with the commit that last had each (the store makes its own table). */
export function sqlBranchObjects(sql: SqlStorage): BranchObjects {
  sql.exec(BRANCH_OBJECTS_SCHEMA);
  return {
    async get(branch) {
      const rows = sql.exec<{ id: string; commit_oid: string }>("SELECT id, commit_oid FROM branch_objects WHERE branch = ?", branch).toArray();
      return new Map(rows.map((row) => [row.id, row.commit_oid]));
    },
    async set(branch, objects) {
      sql.exec("DELETE FROM branch_objects WHERE branch = ?", branch);
      for (const [id, commit] of objects) sql.exec("INSERT INTO branch_objects (branch, id, commit_oid) VALUES (?, ?, ?)", branch, id, commit);
    },
  };
}

const MAX_CACHED_BYTES = 64 * 1024 * 1024;

/**
 * Packs in R2 under `git/<repo>/`, listed in SQLite once both files are stored (a crash before leaves an orphan,
 * never a listed pack without bytes). Bytes are cached in the object's memory: packs never change.
 */
export function r2PackStore(bucket: R2Bucket, repo: string, sql: SqlStorage, cache: Map<string, Uint8Array>): PackStore {
  const key = (file: string) => `git/${repo}/${file}`;
  const remember = (file: string, bytes: Uint8Array) => {
    let total = [...cache.values()].reduce((n, b) => n + b.byteLength, 0) + bytes.byteLength;
    for (const [name, cached] of cache) {
      if (total <= MAX_CACHED_BYTES) break;
      cache.delete(name);
      total -= cached.byteLength;
    }
    cache.set(file, bytes);
  };
  return {
    async names() {
      return sql.exec<{ name: string }>("SELECT name FROM packs ORDER BY stored_at").toArray().map((row) => row.name);
    },
    async read(file) {
      const cached = cache.get(file);
      if (cached) return cached;
      const object = await bucket.get(key(file));
      if (!object) throw Object.assign(new Error(`ENOENT: ${file}`), { code: "ENOENT" });
      const bytes = new Uint8Array(await object.arrayBuffer());
      remember(file, bytes);
      return bytes;
    },
    async write(name, pack, index) {
      await bucket.put(key(`${name}.pack`), pack);
      await bucket.put(key(`${name}.idx`), index);
      sql.exec("INSERT OR IGNORE INTO packs (name, bytes, stored_at) VALUES (?, ?, ?)", name, pack.byteLength, new Date().toISOString());
      remember(`${name}.pack`, pack);
      remember(`${name}.idx`, index);
    },
    async sizes() {
      return sql.exec<{ name: string; bytes: number }>("SELECT name, bytes FROM packs").toArray().map((row) => ({ name: row.name, bytes: row.bytes }));
    },
    async replace(name, pack, index, retired) {
      await bucket.put(key(`${name}.pack`), pack);
      await bucket.put(key(`${name}.idx`), index);
      const now = Date.now();
      // One synchronous run of statements: no request sees both the merged pack and the packs it replaced missing.
      const stored = new Date(now).toISOString();
      sql.exec("INSERT OR IGNORE INTO packs (name, bytes, stored_at) VALUES (?, ?, ?)", name, pack.byteLength, stored);
      for (const old of retired) {
        if (old === name) continue;
        sql.exec("DELETE FROM packs WHERE name = ?", old);
        sql.exec("INSERT OR REPLACE INTO retired_packs (name, retired_at) VALUES (?, ?)", old, now);
      }
      remember(`${name}.pack`, pack);
      remember(`${name}.idx`, index);
      const expired = sql.exec<{ name: string }>("SELECT name FROM retired_packs WHERE retired_at < ?", now - RETIRED_PACK_GRACE_MS).toArray().map((row) => row.name);
      if (expired.length) {
        await bucket.delete(expired.flatMap((old) => [key(`${old}.pack`), key(`${old}.idx`)]));
        for (const old of expired) sql.exec("DELETE FROM retired_packs WHERE name = ?", old);
      }
    },
  };
}
