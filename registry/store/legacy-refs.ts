// RefsDO: where the refs of one object lived before they moved into shards (ref-shard.ts), one Durable Object per
// object id. Kept only so state written by earlier versions moves into its shard on first use; nothing writes here.
import { DurableObject } from "cloudflare:workers";
import { TABLES, type LegacyRows } from "./ref-shard.ts";

export class RefsDO extends DurableObject {
  private readonly sql = this.ctx.storage.sql;

  private has(table: string): boolean {
    return this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", table).toArray().length > 0;
  }

  /** Every row of every table (null: this object never published under the per-id layout). */
  dump(): LegacyRows | null {
    if (!this.has("publications")) return null;
    const rows = Object.fromEntries(TABLES.map((table) => [table, this.has(table) ? this.sql.exec(`SELECT * FROM ${table}`).toArray() : []])) as LegacyRows;
    return rows.publications.length > 0 ? rows : null;
  }

  /** Forgets everything once the shard holds it: the moved state can never come back from here. */
  async clear(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
