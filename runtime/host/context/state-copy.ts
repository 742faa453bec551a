// A forked preview's first state: production's `$.db`, files, `$.gitx` repository (and, when asked, event log)
// copied table by table in pages of bounded size; files kept in R2 are copied under the preview's own prefix.
import { DOCUMENTS_SCHEMA } from "./documents.ts";
import { EVENT_LOG_SCHEMA } from "./event-log.ts";
import { blobBytesOf, FILES_SCHEMA } from "./files.ts";
import { GIT_SCHEMA } from "./git-fs.ts";

const SCHEMAS = { __documents: DOCUMENTS_SCHEMA, __files: FILES_SCHEMA, __git: GIT_SCHEMA, __events: EVENT_LOG_SCHEMA } as const;
export type CopiedTable = keyof typeof SCHEMAS;

/** The tables a fork copies: the object's data always, its event log when the config asks (never calls or outbox). */
export const copiedTables = (events: boolean): CopiedTable[] => ["__documents", "__files", "__git", ...(events ? (["__events"] as const) : [])];

/** Where the next page starts: a table of the list, after a rowid. */
export interface StateCursor {
  table: number;
  after: number;
}

export interface StatePage {
  table: CopiedTable;
  columns: string[];
  rows: unknown[][];
  next: StateCursor | null;
}

// A page stays well under what one RPC message may carry (32 MiB).
const PAGE_BYTES = 4 * 1024 * 1024;
const PAGE_ROWS = 500;

const sizeOf = (value: unknown) => (value instanceof ArrayBuffer ? value.byteLength : typeof value === "string" ? value.length : 8);
const exists = (sql: SqlStorage, table: string) => sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", table).toArray().length > 0;

/** Bytes an object's state holds: its SQLite database plus the files it keeps in R2 (counted here unless given). */
export function storedBytes(sql: SqlStorage, blobBytes?: number): number {
  return sql.databaseSize + (blobBytes ?? (exists(sql, "__files") ? blobBytesOf(sql) : 0));
}

/** One page of the source's state from the cursor on (tables that were never created are skipped). */
export function readStatePage(sql: SqlStorage, tables: readonly CopiedTable[], cursor: StateCursor = { table: 0, after: 0 }): StatePage | null {
  for (let index = cursor.table; index < tables.length; index++) {
    const table = tables[index]!;
    const after = index === cursor.table ? cursor.after : 0;
    if (!exists(sql, table)) continue;
    const result = sql.exec(`SELECT rowid AS __rowid, * FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ?`, after, PAGE_ROWS);
    const columns = result.columnNames.slice(1);
    const rows: unknown[][] = [];
    let bytes = 0;
    let last = after;
    for (const raw of result.raw()) {
      const [rowid, ...values] = raw as unknown[];
      rows.push(values);
      last = rowid as number;
      bytes += values.reduce<number>((sum, value) => sum + sizeOf(value), 0);
      if (bytes >= PAGE_BYTES) break;
    }
    if (rows.length === 0) continue;
    const more = rows.length === PAGE_ROWS || bytes >= PAGE_BYTES;
    return { table, columns, rows, next: more ? { table: index, after: last } : index + 1 < tables.length ? { table: index + 1, after: 0 } : null };
  }
  return null;
}

/** Writes one page into the destination, creating its table first; `blobKey` renames file blobs (see copyState). */
export function writeStatePage(sql: SqlStorage, page: StatePage, blobKey: (key: string) => string): void {
  sql.exec(SCHEMAS[page.table]);
  const keyColumn = page.table === "__files" ? page.columns.indexOf("blob_key") : -1;
  const statement = `INSERT OR REPLACE INTO ${page.table} (${page.columns.join(", ")}) VALUES (${page.columns.map(() => "?").join(", ")})`;
  for (const row of page.rows) {
    const values = keyColumn < 0 || typeof row[keyColumn] !== "string" ? row : row.map((value, index) => (index === keyColumn ? blobKey(value as string) : value));
    sql.exec(statement, ...(values as SqlStorageValue[]));
  }
}

export interface CopyInput {
  /** The destination's SQLite. */
  sql: SqlStorage;
  /** Pages of the source, asked for one after another. */
  read(cursor: StateCursor | undefined): Promise<StatePage | null>;
  bucket: R2Bucket;
  /** R2 prefixes of the source's and the destination's files (`fsx/<environment>/<id>/`). */
  from: string;
  to: string;
}

/** Copies every page, then the R2 blobs the copied files name, and answers the bytes copied. */
export async function copyState({ sql, read, bucket, from, to }: CopyInput): Promise<number> {
  const renamed = (key: string) => (key.startsWith(from) ? `${to}${key.slice(from.length)}` : key);
  const blobs = new Set<string>();
  let bytes = 0;
  for (let page = await read(undefined); page; page = page.next ? await read(page.next) : null) {
    writeStatePage(sql, page, (key) => {
      blobs.add(key);
      return renamed(key);
    });
    for (const row of page.rows) bytes += row.reduce<number>((sum, value) => sum + sizeOf(value), 0);
  }
  for (const key of blobs) {
    const object = await bucket.get(key);
    if (!object) continue;
    const body = await object.arrayBuffer();
    await bucket.put(renamed(key), body);
    bytes += body.byteLength;
  }
  return bytes;
}
