// The outbox of one object in one environment: every message `$.email`, `$.sms` and `$.slack` kept or sent, newest
// last, the last 1000 of each environment kept. It owns `__outbox` (prepareOutbox creates it with the host).
import type { Channel, OutboxEntry } from "../../../schemas/index.ts";
import { ensureEnvironmentColumn, trimEnvironment } from "./environment-column.ts";

const KEEP_OUTBOX = 1000;

export const OUTBOX_SCHEMA = `
  CREATE TABLE IF NOT EXISTS __outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, text TEXT NOT NULL,
    at TEXT NOT NULL, status TEXT NOT NULL, detail TEXT, environment TEXT NOT NULL DEFAULT 'production');
`;

/** Creates the table (and the column a table of an earlier layout lacks). */
export function prepareOutbox(sql: SqlStorage): void {
  sql.exec(OUTBOX_SCHEMA);
  ensureEnvironmentColumn(sql, "__outbox");
  sql.exec("CREATE INDEX IF NOT EXISTS __outbox_by_environment ON __outbox (environment, seq)");
}

export function createOutbox(sql: SqlStorage, environment: string) {
  return {
    record(channel: Channel, text: string, status: OutboxEntry["status"], detail: string | null): void {
      sql.exec("INSERT INTO __outbox (channel, text, at, status, detail, environment) VALUES (?, ?, ?, ?, ?, ?)", channel, text, new Date().toISOString(), status, detail, environment);
      trimEnvironment(sql, "__outbox", environment, KEEP_OUTBOX);
    },
    /** The newest messages first. */
    list(limit = 100): OutboxEntry[] {
      return sql.exec<OutboxEntry>("SELECT seq, channel, text, at, status, detail FROM __outbox WHERE environment = ? ORDER BY seq DESC LIMIT ?", environment, Math.min(Math.max(1, limit), KEEP_OUTBOX)).toArray();
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
