// Every call of an object per minute and ref, counted (the call log keeps a sample): what the dashboard's call chart
// draws. Two hours are kept.
import type { CallMinute, MinuteCount } from "../../../schemas/index.ts";

const KEEP_MS = 2 * 3_600_000;
const HOUR_MS = 3_600_000;

export const CALL_MINUTES_SCHEMA = `
  CREATE TABLE IF NOT EXISTS __call_minutes (environment TEXT NOT NULL, minute INTEGER NOT NULL, ref TEXT NOT NULL,
    calls INTEGER NOT NULL, failed INTEGER NOT NULL, PRIMARY KEY (environment, minute, ref)) WITHOUT ROWID;
`;

export function createCallMinutes(sql: SqlStorage, environment: string) {
  return {
    record(counts: readonly MinuteCount[]): void {
      for (const count of counts) {
        sql.exec(
          `INSERT INTO __call_minutes (environment, minute, ref, calls, failed) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (environment, minute, ref) DO UPDATE SET calls = calls + excluded.calls, failed = failed + excluded.failed`,
          environment, count.minute, count.ref.slice(0, 256), count.calls, count.failed,
        );
      }
      if (counts.length) sql.exec("DELETE FROM __call_minutes WHERE environment = ? AND minute < ?", environment, counts[0]!.minute - KEEP_MS);
    },
    /** The last hour before `now`, oldest first. */
    lastHour(now: number): CallMinute[] {
      return sql
        .exec<{ minute: number; ref: string; calls: number; failed: number }>("SELECT minute, ref, calls, failed FROM __call_minutes WHERE environment = ? AND minute > ? ORDER BY minute, ref", environment, now - HOUR_MS)
        .toArray()
        .map((row) => ({ ...row, minute: new Date(row.minute).toISOString() }));
    },
  };
}

export type CallMinutes = ReturnType<typeof createCallMinutes>;
