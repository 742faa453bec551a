// The object's call log: recent API calls (ok or failed, with their duration), for `GET /<id>/__calls` and `objects logs`.
import type { CallEntry, CallRecord } from "../../../schemas/index.ts";
import { ensureEnvironmentColumn, trimEnvironment } from "./environment-column.ts";

const KEEP_CALLS = 1000;

export const CALL_LOG_SCHEMA = `
  CREATE TABLE IF NOT EXISTS __calls (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, method TEXT NOT NULL,
    ref TEXT NOT NULL, status TEXT NOT NULL, ms REAL NOT NULL, detail TEXT, environment TEXT NOT NULL DEFAULT 'production');
`;

export type { CallEntry, CallRecord };

/** Creates the table (and the column a table of an earlier layout lacks). */
export function prepareCallLog(sql: SqlStorage): void {
  sql.exec(CALL_LOG_SCHEMA);
  ensureEnvironmentColumn(sql, "__calls");
  sql.exec("CREATE INDEX IF NOT EXISTS __calls_by_environment ON __calls (environment, seq)");
}

/** Records and lists the calls of one object in one environment, keeping the newest thousand. */
export function createCallLog(sql: SqlStorage, environment: string) {
  return {
    record(entries: readonly CallEntry[]): void {
      for (const entry of entries.slice(-KEEP_CALLS)) {
        sql.exec("INSERT INTO __calls (at, method, ref, status, ms, detail, environment) VALUES (?, ?, ?, ?, ?, ?, ?)", entry.at, entry.method.slice(0, 256), entry.ref.slice(0, 256), entry.status, entry.ms, entry.detail?.slice(0, 1000) ?? null, environment);
      }
      trimEnvironment(sql, "__calls", environment, KEEP_CALLS);
    },
    /** The newest first. */
    list(limit = 100): CallRecord[] {
      return sql.exec<CallRecord>("SELECT seq, at, method, ref, status, ms, detail FROM __calls WHERE environment = ? ORDER BY seq DESC LIMIT ?", environment, Math.min(Math.max(1, limit), KEEP_CALLS)).toArray();
    },
  };
}

export type CallLog = ReturnType<typeof createCallLog>;
