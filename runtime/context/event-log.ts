// The object's event log: every handler run an event caused (ok or failed), for `GET /<id>/__events`.
import type { EventRecord } from "../../schemas/index.ts";

const KEEP_EVENTS = 1000;

export const EVENT_LOG_SCHEMA = `
  CREATE TABLE IF NOT EXISTS __events (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, name TEXT NOT NULL,
    source TEXT NOT NULL, hops INTEGER NOT NULL, handler TEXT, status TEXT NOT NULL, detail TEXT);
`;

export type { EventRecord };

/** Records and lists the handler runs of events in one object and environment. */
export function createEventLog(sql: SqlStorage) {
  sql.exec(EVENT_LOG_SCHEMA);
  return {
    record(entry: Omit<EventRecord, "seq" | "at">): void {
      sql.exec(
        "INSERT INTO __events (at, name, source, hops, handler, status, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
        new Date().toISOString(),
        entry.name,
        entry.source,
        entry.hops,
        entry.handler,
        entry.status,
        entry.detail,
      );
      sql.exec("DELETE FROM __events WHERE seq <= (SELECT max(seq) FROM __events) - ?", KEEP_EVENTS);
    },
    /** The newest first. */
    list(limit = 100): EventRecord[] {
      return sql.exec<EventRecord>("SELECT * FROM __events ORDER BY seq DESC LIMIT ?", Math.min(Math.max(1, limit), KEEP_EVENTS)).toArray();
    },
  };
}

export type EventLog = ReturnType<typeof createEventLog>;
