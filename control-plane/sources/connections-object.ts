// ConnectionsDO: the one list of connected repositories, so the reconciler knows whom to ask.
import { DurableObject } from "cloudflare:workers";

export class ConnectionsDO extends DurableObject {
  private readonly sql = this.ctx.storage.sql;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    this.sql.exec("CREATE TABLE IF NOT EXISTS connections (name TEXT PRIMARY KEY, connected_at TEXT NOT NULL)");
  }

  add(name: string): void {
    this.sql.exec("INSERT OR IGNORE INTO connections (name, connected_at) VALUES (?, ?)", name, new Date().toISOString());
  }

  remove(name: string): void {
    this.sql.exec("DELETE FROM connections WHERE name = ?", name);
  }

  list(): string[] {
    return this.sql.exec<{ name: string }>("SELECT name FROM connections ORDER BY name").toArray().map((row) => row.name);
  }
}
