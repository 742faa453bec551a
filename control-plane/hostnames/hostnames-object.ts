// HostnamesDO: the table of custom hostnames (workers.do), one Durable Object for the platform. Writes are rare and
// every isolate keeps a copy for a few seconds, so reads are rare too.
import { DurableObject } from "cloudflare:workers";

export type HostnameRow = {
  host: string;
  target: string;
  mapped_by: string;
  mapped_at: string;
};

export class HostnamesDO extends DurableObject {
  private readonly sql = this.ctx.storage.sql;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    this.sql.exec("CREATE TABLE IF NOT EXISTS hostnames (host TEXT PRIMARY KEY, target TEXT NOT NULL, mapped_by TEXT NOT NULL, mapped_at TEXT NOT NULL)");
  }

  get(host: string): HostnameRow | null {
    return this.sql.exec<HostnameRow>("SELECT * FROM hostnames WHERE host = ?", host).toArray()[0] ?? null;
  }

  put(host: string, target: string, by: string): HostnameRow {
    const row = { host, target, mapped_by: by, mapped_at: new Date().toISOString() };
    this.sql.exec("INSERT OR REPLACE INTO hostnames (host, target, mapped_by, mapped_at) VALUES (?, ?, ?, ?)", row.host, row.target, row.mapped_by, row.mapped_at);
    return row;
  }

  delete(host: string): boolean {
    return this.sql.exec("DELETE FROM hostnames WHERE host = ?", host).rowsWritten > 0;
  }

  list(): HostnameRow[] {
    return this.sql.exec<HostnameRow>("SELECT * FROM hostnames ORDER BY host").toArray();
  }
}
