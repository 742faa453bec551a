// The layout before facets: one Durable Object per object and environment (`<environment>:<id>`), holding the object's
// state (`__documents`, `__files`, `__git`) beside its records. The host of an object is the one named
// `production:<id>`, so production's records are already where they belong; its state moves into its facet the first
// time the host runs, and each other environment's state and records move in from their own object the first time
// that environment is used. Nothing in R2 moves: file rows keep their blob keys.
import { STATE_TABLES, type FacetEntrypoint, type StateTable } from "../shared/sandbox-protocol.ts";
import type { Identity } from "../shared/object-calls.ts";
import type { PreparedVersion } from "../executor/loader.ts";
import type { Facets } from "./facets.ts";
import type { HostRpc, LegacyCursor, LegacyPage } from "../shared/host-rpc.ts";

/** Tables of an earlier per-environment object that become host records, with the columns they had. */
const RECORD_TABLES = {
  __calls: { to: "__calls", columns: ["at", "method", "ref", "status", "ms", "detail"] },
  __events: { to: "__events", columns: ["at", "name", "source", "hops", "handler", "status", "detail"] },
  __outbox: { to: "__outbox", columns: ["channel", "text", "at", "status", "detail"] },
  __schedule_runs: { to: "__schedule_runs", columns: ["pattern", "at", "duration_ms", "ok", "detail"] },
  __usage: { to: "__usage_by_environment", columns: ["day", "ref", "hash", "caller", "calls", "failed", "last"] },
} as const;
type RecordTable = keyof typeof RECORD_TABLES;

export const LEGACY_TABLES = [...STATE_TABLES, ...(Object.keys(RECORD_TABLES) as RecordTable[])] as const;
export type LegacyTable = (typeof LEGACY_TABLES)[number];

export type { LegacyCursor, LegacyPage };

const PAGE_ROWS = 500;
// A page stays well under what one RPC message may carry (32 MiB): state rows may hold up to 2 MB each.
const PAGE_BYTES = 8 * 1024 * 1024;

const exists = (sql: SqlStorage, table: string) => sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", table).toArray().length > 0;
const sizeOf = (value: unknown) => (value instanceof ArrayBuffer ? value.byteLength : typeof value === "string" ? value.length : 8);

/** Whether this object's SQLite holds state of the earlier layout (production's, in the host itself). */
export const hasLegacyState = (sql: SqlStorage) => STATE_TABLES.some((table) => exists(sql, table));

/** One page of an earlier layout's tables from `cursor` (the tables are written no more, so offsets are stable). */
export function readLegacyPage(sql: SqlStorage, tables: readonly LegacyTable[], cursor: LegacyCursor = { table: 0, offset: 0 }): LegacyPage | null {
  for (let index = cursor.table; index < tables.length; index++) {
    const table = tables[index]!;
    if (!exists(sql, table)) continue;
    const offset = index === cursor.table ? cursor.offset : 0;
    const result = sql.exec(`SELECT * FROM ${table} LIMIT ? OFFSET ?`, PAGE_ROWS, offset);
    const rows: unknown[][] = [];
    let bytes = 0;
    for (const row of result.raw()) {
      rows.push(row as unknown[]);
      bytes += (row as unknown[]).reduce<number>((sum, value) => sum + sizeOf(value), 0);
      if (bytes >= PAGE_BYTES) break;
    }
    if (rows.length === 0) continue;
    const more = rows.length === PAGE_ROWS || bytes >= PAGE_BYTES;
    const next = more ? { table: index, offset: offset + rows.length } : index + 1 < tables.length ? { table: index + 1, offset: 0 } : null;
    return { table, columns: result.columnNames, rows, next };
  }
  return null;
}

/** Writes one page where it now belongs: state rows into the facet, records into the host's tables under `environment`. */
export async function takeLegacyPage(page: LegacyPage, facet: FacetEntrypoint, sql: SqlStorage, environment: string): Promise<void> {
  if ((STATE_TABLES as readonly string[]).includes(page.table)) return facet.importRows(page.table as StateTable, page.columns, page.rows);
  const { to, columns } = RECORD_TABLES[page.table as RecordTable];
  const indexes = columns.map((column) => page.columns.indexOf(column));
  const statement = `INSERT OR IGNORE INTO ${to} (${columns.join(", ")}, environment) VALUES (${columns.map(() => "?").join(", ")}, ?)`;
  for (const row of page.rows) sql.exec(statement, ...indexes.map((index) => (index < 0 ? null : row[index]) as SqlStorageValue), environment);
}

/** Moves the host's own state of the earlier layout (production's) into its facet, then drops those tables. */
export async function moveOwnState(sql: SqlStorage, facet: FacetEntrypoint): Promise<void> {
  for (let page = readLegacyPage(sql, STATE_TABLES); page; page = page.next ? readLegacyPage(sql, STATE_TABLES, page.next) : null) {
    await facet.importRows(page.table as StateTable, page.columns, page.rows);
  }
  for (const table of STATE_TABLES) sql.exec(`DROP TABLE IF EXISTS ${table}`);
}

export interface TakeOver {
  ctx: DurableObjectState;
  facets: Facets;
  /** An environment's object of the earlier layout. */
  legacy(environment: string, id: string): Pick<HostRpc, "exportLegacy" | "retireLegacy">;
  /** The version the environment serves (its facet's class, to start it). */
  current(): Promise<PreparedVersion>;
}

/**
 * Takes over what the earlier layout kept for one environment: production's state from the host's own tables,
 * another environment's state and records from its own object (asked once: a flag remembers it).
 */
export async function takeOverLegacy({ ctx, facets, legacy, current }: TakeOver, { id, environment }: Identity): Promise<void> {
  const sql = ctx.storage.sql;
  if (environment === "production") {
    if (hasLegacyState(sql)) await facets.withAny(environment, current, (facet) => moveOwnState(sql, facet));
    return;
  }
  if (ctx.storage.kv.get(`ready:${environment}`)) return;
  const old = legacy(environment, id);
  let page = await old.exportLegacy();
  if (page) {
    await facets.withAny(environment, current, async (facet) => {
      for (; page; page = page.next ? await old.exportLegacy(page.next) : null) await takeLegacyPage(page, facet, sql, environment);
    });
    await old.retireLegacy();
  }
  ctx.storage.kv.put(`ready:${environment}`, true);
}
