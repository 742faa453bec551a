// The object's schedules: each pattern's next run (one Durable Object alarm is set to the earliest) and the last runs.
import { nextRunAfter, scheduleCron } from "../../../definitions/index.ts";
import type { ScheduleRun } from "../../../schemas/index.ts";
import { ensureEnvironmentColumn, trimEnvironment } from "./environment-column.ts";

const KEEP_RUNS = 100;

export const SCHEDULE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS __schedules (pattern TEXT PRIMARY KEY, cron TEXT NOT NULL, next_at INTEGER NOT NULL, skipped INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE IF NOT EXISTS __schedule_runs (seq INTEGER PRIMARY KEY AUTOINCREMENT, pattern TEXT NOT NULL, at TEXT NOT NULL,
    duration_ms INTEGER NOT NULL, ok INTEGER NOT NULL, detail TEXT, environment TEXT NOT NULL DEFAULT 'production');
`;

/** Creates the tables (and the column a table of an earlier layout lacks). */
export function prepareScheduleStore(sql: SqlStorage): void {
  sql.exec(SCHEDULE_SCHEMA);
  ensureEnvironmentColumn(sql, "__schedule_runs");
  sql.exec("CREATE INDEX IF NOT EXISTS __schedule_runs_by_environment ON __schedule_runs (environment, seq)");
}

export type ScheduleRow = { pattern: string; cron: string; next_at: number; skipped: number };

/**
 * Schedule bookkeeping of one object in one environment: the timetable is production's (previews and branches never
 * run schedules on their own: their table stays empty), the runs are each environment's.
 */
export function createScheduleStore(sql: SqlStorage, environment: string) {
  const production = environment === "production";
  const rows = () => (production ? sql.exec<ScheduleRow>("SELECT * FROM __schedules ORDER BY next_at").toArray() : []);
  return {
    rows,
    /** Makes the table match `patterns` (a version's schedules): new ones get their next run, removed ones go. */
    sync(patterns: readonly string[], now: Date): void {
      if (!production) return;
      const wanted = new Set(patterns);
      for (const row of rows()) if (!wanted.has(row.pattern)) sql.exec("DELETE FROM __schedules WHERE pattern = ?", row.pattern);
      for (const pattern of patterns) {
        const parsed = scheduleCron(pattern);
        if (!parsed.ok) continue;
        const existing = sql.exec<ScheduleRow>("SELECT * FROM __schedules WHERE pattern = ?", pattern).toArray()[0];
        if (existing && existing.cron === parsed.cron) continue;
        const next = nextRunAfter(parsed.cron, now);
        if (next) sql.exec("INSERT OR REPLACE INTO __schedules (pattern, cron, next_at, skipped) VALUES (?, ?, ?, 0)", pattern, parsed.cron, next.getTime());
      }
    },
    /** The patterns due at `now`. */
    due(now: number): ScheduleRow[] {
      return rows().filter((row) => row.next_at <= now);
    },
    /** After a run: the next time after `now`; ticks that passed while it ran count as skipped (single flight). */
    advance(row: ScheduleRow, now: Date): void {
      let skipped = 0;
      let next = nextRunAfter(row.cron, new Date(row.next_at));
      while (next && next.getTime() <= now.getTime()) {
        skipped++;
        next = nextRunAfter(row.cron, next);
      }
      if (!next) sql.exec("DELETE FROM __schedules WHERE pattern = ?", row.pattern);
      else sql.exec("UPDATE __schedules SET next_at = ?, skipped = skipped + ? WHERE pattern = ?", next.getTime(), skipped, row.pattern);
    },
    /** When the alarm should fire next, or null when nothing is scheduled. */
    earliest(): number | null {
      return rows()[0]?.next_at ?? null;
    },
    recordRun(pattern: string, started: Date, durationMs: number, ok: boolean, detail: string | null): void {
      sql.exec("INSERT INTO __schedule_runs (pattern, at, duration_ms, ok, detail, environment) VALUES (?, ?, ?, ?, ?, ?)", pattern, started.toISOString(), Math.round(durationMs), ok ? 1 : 0, detail, environment);
      trimEnvironment(sql, "__schedule_runs", environment, KEEP_RUNS);
    },
    runs(limit = KEEP_RUNS): ScheduleRun[] {
      return sql.exec<ScheduleRun>("SELECT seq, pattern, at, duration_ms, ok, detail FROM __schedule_runs WHERE environment = ? ORDER BY seq DESC LIMIT ?", environment, Math.min(limit, KEEP_RUNS)).toArray();
    },
  };
}

export type ScheduleStore = ReturnType<typeof createScheduleStore>;
