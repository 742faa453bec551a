// ObjectIndexDO: one Durable Object listing every object id with its latest hash (the registry keeps it current);
// the adapter implements the registry's ObjectIndex port over it.
import { DurableObject } from "cloudflare:workers";
import type { IndexEntry, ObjectIndex } from "../ports.ts";

const SCHEMA = `CREATE TABLE IF NOT EXISTS objects (id TEXT PRIMARY KEY, latest TEXT, updated_at TEXT NOT NULL, source TEXT NOT NULL, message TEXT);`;
const MAX_PAGE = 1000;

interface Row extends Record<string, SqlStorageValue> {
  id: string;
  latest: string | null;
  updated_at: string;
  source: string;
  message: string | null;
}

export class ObjectIndexDO extends DurableObject {
  private readonly sql = this.ctx.storage.sql;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql.exec(SCHEMA);
  }

  put(entry: IndexEntry): void {
    this.sql.exec(
      "INSERT INTO objects (id, latest, updated_at, source, message) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET latest = excluded.latest, updated_at = excluded.updated_at, source = excluded.source, message = excluded.message",
      entry.id,
      entry.latest,
      entry.updatedAt,
      entry.source,
      entry.message ?? null,
    );
  }

  has(id: string): boolean {
    return this.sql.exec("SELECT 1 FROM objects WHERE id = ?", id).toArray().length > 0;
  }

  drop(id: string): void {
    this.sql.exec("DELETE FROM objects WHERE id = ?", id);
  }

  list(after: string, limit: number): IndexEntry[] {
    return this.sql
      .exec<Row>("SELECT * FROM objects WHERE id > ? ORDER BY id LIMIT ?", after, Math.min(Math.max(1, limit), MAX_PAGE))
      .toArray()
      .map((row) => ({ id: row.id, latest: row.latest, updatedAt: row.updated_at, source: row.source, ...(row.message ? { message: row.message } : {}) }));
  }
}

/** The ObjectIndex port over the one ObjectIndexDO named "all". */
export function doObjectIndex(namespace: DurableObjectNamespace<ObjectIndexDO>): ObjectIndex {
  const stub = () => namespace.get(namespace.idFromName("all"));
  return {
    put: async (entry) => stub().put(entry),
    drop: async (id) => stub().drop(id),
    list: async ({ after, limit }) => stub().list(after ?? "", limit),
  };
}
