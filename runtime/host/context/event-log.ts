// The object's event log: every handler run an event caused (ok or failed), for `GET /<id>/__events`.
import type { EventRecord } from "../../../schemas/index.ts";
import { ensureEnvironmentColumn, trimEnvironment } from "./environment-column.ts";

const KEEP_EVENTS = 1000;
// How long a batch of log lines waits at most before it is written.
const FLUSH_MS = 1000;

export const EVENT_LOG_SCHEMA = `
  CREATE TABLE IF NOT EXISTS __events (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, name TEXT NOT NULL,
    source TEXT NOT NULL, hops INTEGER NOT NULL, handler TEXT, status TEXT NOT NULL, detail TEXT, environment TEXT NOT NULL DEFAULT 'production');
`;

/** Creates the table (and the column a table of an earlier layout lacks). */
export function prepareEventLog(sql: SqlStorage): void {
  sql.exec(EVENT_LOG_SCHEMA);
  ensureEnvironmentColumn(sql, "__events");
  sql.exec("CREATE INDEX IF NOT EXISTS __events_by_environment ON __events (environment, seq)");
}

export type { EventRecord };

/**
 * Records and lists the handler runs of events in one object and environment. Records are written in batches, at
 * most FLUSH_MS after the first: a write holds the response of the call that made it until it commits (the output
 * gate), and an event's log lines are not the call's data. A crash loses at most the last batch; `list` writes what
 * is pending first, so the log always shows every run so far.
 */
export function createEventLog(sql: SqlStorage, environment: string) {
  let pending: Array<Omit<EventRecord, "seq">> = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  function flush(): void {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    for (const entry of batch) {
      sql.exec("INSERT INTO __events (at, name, source, hops, handler, status, detail, environment) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", entry.at, entry.name, entry.source, entry.hops, entry.handler, entry.status, entry.detail, environment);
    }
    trimEnvironment(sql, "__events", environment, KEEP_EVENTS);
  }

  return {
    record(entry: Omit<EventRecord, "seq" | "at">): void {
      pending.push({ ...entry, at: new Date().toISOString() });
      timer ??= setTimeout(flush, FLUSH_MS);
    },
    /** The newest first. */
    list(limit = 100): EventRecord[] {
      flush();
      return sql.exec<EventRecord>("SELECT seq, at, name, source, hops, handler, status, detail FROM __events WHERE environment = ? ORDER BY seq DESC LIMIT ?", environment, Math.min(Math.max(1, limit), KEEP_EVENTS)).toArray();
    },
    /** Writes what is pending now (a fork is about to copy the log). */
    flush,
    /** Forgets what is pending (the object's state was deleted: nothing may be written into the fresh tables). */
    discard(): void {
      clearTimeout(timer);
      timer = undefined;
      pending = [];
    },
  };
}

export type EventLog = ReturnType<typeof createEventLog>;
