// PreviewsDO: every preview of the platform (pull requests' and pushed topics'), one row per object and preview, so
// they can be listed everywhere and expire without anyone remembering them. Written at publish and retirement.
import { DurableObject } from "cloudflare:workers";
import type { PreviewRecord } from "../../schemas/index.ts";

export interface PreviewRow extends PreviewRecord {
  createdAt: number;
  forkedAt?: number;
  forkedBytes?: number;
}

type SqlRow = {
  ref: string;
  id: string;
  repo: string;
  source: string;
  git_ref: string | null;
  sha: string;
  created_at: number;
  pushed_at: number;
  ttl_ms: number;
  state: string;
  forked_at: number | null;
  forked_bytes: number | null;
};

const rowOf = (row: SqlRow): PreviewRow => ({
  ref: row.ref,
  id: row.id,
  repo: row.repo,
  source: row.source as PreviewRow["source"],
  ...(row.git_ref ? { gitRef: row.git_ref } : {}),
  sha: row.sha,
  createdAt: row.created_at,
  pushedAt: row.pushed_at,
  ttlMs: row.ttl_ms,
  state: row.state as PreviewRow["state"],
  ...(row.forked_at !== null ? { forkedAt: row.forked_at, forkedBytes: row.forked_bytes ?? 0 } : {}),
});

export class PreviewsDO extends DurableObject {
  private readonly sql = this.ctx.storage.sql;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS previews (
      ref TEXT NOT NULL, id TEXT NOT NULL, repo TEXT NOT NULL, source TEXT NOT NULL, git_ref TEXT, sha TEXT NOT NULL,
      created_at INTEGER NOT NULL, pushed_at INTEGER NOT NULL, ttl_ms INTEGER NOT NULL, state TEXT NOT NULL,
      forked_at INTEGER, forked_bytes INTEGER, PRIMARY KEY (ref, id))`);
  }

  /** A push published the object to the preview: a new row, or the same one pushed again (it keeps its age). */
  record(entry: PreviewRecord): void {
    this.sql.exec(
      `INSERT INTO previews (ref, id, repo, source, git_ref, sha, created_at, pushed_at, ttl_ms, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (ref, id) DO UPDATE SET repo = excluded.repo, source = excluded.source, git_ref = excluded.git_ref, sha = excluded.sha,
         pushed_at = excluded.pushed_at, ttl_ms = excluded.ttl_ms, state = excluded.state`,
      entry.ref,
      entry.id,
      entry.repo,
      entry.source,
      entry.gitRef ?? null,
      entry.sha,
      entry.pushedAt,
      entry.pushedAt,
      entry.ttlMs,
      entry.state,
    );
  }

  /** The preview's state was forked from production (at creation, or reset since). */
  forked(ref: string, id: string, at: number, bytes: number): void {
    this.sql.exec("UPDATE previews SET forked_at = ?, forked_bytes = ? WHERE ref = ? AND id = ?", at, bytes, ref, id);
  }

  /** Forgets objects of a preview (all of them without `ids`); answers how many rows went. */
  drop(ref: string, ids?: string[]): number {
    if (!ids) return this.sql.exec("DELETE FROM previews WHERE ref = ?", ref).rowsWritten;
    return ids.reduce((count, id) => count + this.sql.exec("DELETE FROM previews WHERE ref = ? AND id = ?", ref, id).rowsWritten, 0);
  }

  get(ref: string, id: string): PreviewRow | null {
    const row = this.sql.exec<SqlRow>("SELECT * FROM previews WHERE ref = ? AND id = ?", ref, id).toArray()[0];
    return row ? rowOf(row) : null;
  }

  list(): PreviewRow[] {
    return this.sql.exec<SqlRow>("SELECT * FROM previews ORDER BY pushed_at DESC, ref, id").toArray().map(rowOf);
  }

  /** Rows whose preview went without a push for longer than its time to live, at `now`. */
  expired(now: number): PreviewRow[] {
    return this.sql.exec<SqlRow>("SELECT * FROM previews WHERE pushed_at + ttl_ms <= ? ORDER BY ref, id", now).toArray().map(rowOf);
  }
}
