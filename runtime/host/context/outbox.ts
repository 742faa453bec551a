// The outbox of one object in one environment: every message `$.email`, `$.sms` and `$.slack` kept or sent, newest
// last, the last 1000 kept. It owns `__outbox`, created with the store, so reading it never needs a message first.
import type { Channel, OutboxEntry } from "../../../schemas/index.ts";

const KEEP_OUTBOX = 1000;

const OUTBOX_SCHEMA = `
  CREATE TABLE IF NOT EXISTS __outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, text TEXT NOT NULL,
    at TEXT NOT NULL, status TEXT NOT NULL, detail TEXT);
`;

export function createOutbox(sql: SqlStorage) {
  sql.exec(OUTBOX_SCHEMA);
  return {
    record(channel: Channel, text: string, status: OutboxEntry["status"], detail: string | null): void {
      sql.exec("INSERT INTO __outbox (channel, text, at, status, detail) VALUES (?, ?, ?, ?, ?)", channel, text, new Date().toISOString(), status, detail);
      sql.exec("DELETE FROM __outbox WHERE seq <= (SELECT max(seq) FROM __outbox) - ?", KEEP_OUTBOX);
    },
    /** The newest messages first. */
    list(limit = 100): OutboxEntry[] {
      return sql.exec<OutboxEntry>("SELECT seq, channel, text, at, status, detail FROM __outbox ORDER BY seq DESC LIMIT ?", Math.min(Math.max(1, limit), KEEP_OUTBOX)).toArray();
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
