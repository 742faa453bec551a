// The object's call log: recent API calls (ok or failed, with their duration), for `GET /<id>/__calls` and `objects logs`.
import type { CallEntry, CallRecord } from "../../../schemas/index.ts";

const KEEP_CALLS = 1000;

export const CALL_LOG_SCHEMA = `
  CREATE TABLE IF NOT EXISTS __calls (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, method TEXT NOT NULL,
    ref TEXT NOT NULL, status TEXT NOT NULL, ms REAL NOT NULL, detail TEXT);
`;

export type { CallEntry, CallRecord };

/** Records and lists the calls of one object in one environment, keeping the newest thousand. */
export function createCallLog(sql: SqlStorage) {
  sql.exec(CALL_LOG_SCHEMA);
  return {
    record(entries: readonly CallEntry[]): void {
      for (const entry of entries.slice(-KEEP_CALLS)) {
        sql.exec("INSERT INTO __calls (at, method, ref, status, ms, detail) VALUES (?, ?, ?, ?, ?, ?)", entry.at, entry.method.slice(0, 256), entry.ref.slice(0, 256), entry.status, entry.ms, entry.detail?.slice(0, 1000) ?? null);
      }
      sql.exec("DELETE FROM __calls WHERE seq <= (SELECT max(seq) FROM __calls) - ?", KEEP_CALLS);
    },
    /** The newest first. */
    list(limit = 100): CallRecord[] {
      return sql.exec<CallRecord>("SELECT * FROM __calls ORDER BY seq DESC LIMIT ?", Math.min(Math.max(1, limit), KEEP_CALLS)).toArray();
    },
  };
}

export type CallLog = ReturnType<typeof createCallLog>;
