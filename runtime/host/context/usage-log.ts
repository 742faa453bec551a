// Who calls which version: per day, ref as named, content hash that answered and caller, every call counted (the
// call log keeps only a sample). The evidence `objects retire` asks for before a version stops answering.
import type { UsageCount, UsageQuery, UsageReport } from "../../../schemas/index.ts";

/** Days of usage kept: enough for a 30-day retire check, with room. */
export const KEEP_DAYS = 90;
const DAY_MS = 86_400_000;
/** Rows one day may hold: callers name themselves, so a flood of names is folded into one "(others)" row per version. */
export const MAX_ROWS_PER_DAY = 1000;

// `__usage` of an earlier layout (one Durable Object per environment) had no environment in its key.
export const USAGE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS __usage_by_environment (environment TEXT NOT NULL, day TEXT NOT NULL, ref TEXT NOT NULL, hash TEXT NOT NULL,
    caller TEXT NOT NULL, calls INTEGER NOT NULL, failed INTEGER NOT NULL, last TEXT NOT NULL,
    PRIMARY KEY (environment, day, ref, hash, caller)) WITHOUT ROWID;
`;

/** Creates the table, taking over the rows of an earlier layout's `__usage` (production's, in the host's own storage). */
export function prepareUsageLog(sql: SqlStorage): void {
  sql.exec(USAGE_SCHEMA);
  if (sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__usage'").toArray().length === 0) return;
  sql.exec("INSERT OR IGNORE INTO __usage_by_environment SELECT 'production', day, ref, hash, caller, calls, failed, last FROM __usage");
  sql.exec("DROP TABLE __usage");
}

const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

type Row = {
  day: string;
  ref: string;
  hash: string;
  caller: string;
  calls: number;
  failed: number;
  last: string;
};

/** Sums rows by one key, newest last-seen kept. */
function group<K extends string>(rows: Row[], key: (row: Row) => string, name: K) {
  const groups = new Map<string, { calls: number; failed: number; lastSeen: string }>();
  for (const row of rows) {
    const entry = groups.get(key(row)) ?? { calls: 0, failed: 0, lastSeen: row.last };
    entry.calls += row.calls;
    entry.failed += row.failed;
    if (row.last > entry.lastSeen) entry.lastSeen = row.last;
    groups.set(key(row), entry);
  }
  return [...groups].map(([value, entry]) => ({ [name]: value, ...entry }) as { [P in K]: string } & { calls: number; failed: number; lastSeen: string }).sort((a, b) => b.calls - a.calls);
}

export function createUsageLog(sql: SqlStorage, environment: string) {
  return {
    record(counts: readonly UsageCount[]): void {
      const rowsOf = new Map<string, number>();
      for (const count of counts) {
        const last = new Date(count.last).toISOString();
        const day = dayOf(count.last);
        const rows = rowsOf.get(day) ?? sql.exec<{ n: number }>("SELECT count(*) AS n FROM __usage_by_environment WHERE environment = ? AND day = ?", environment, day).one().n;
        rowsOf.set(day, rows + 1);
        const caller = rows >= MAX_ROWS_PER_DAY ? "(others)" : count.caller.slice(0, 128);
        sql.exec(
          `INSERT INTO __usage_by_environment (environment, day, ref, hash, caller, calls, failed, last) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (environment, day, ref, hash, caller) DO UPDATE SET calls = calls + excluded.calls, failed = failed + excluded.failed, last = max(last, excluded.last)`,
          environment, day, count.ref.slice(0, 256), count.hash.slice(0, 64), caller, count.calls, count.failed, last,
        );
      }
      if (counts.length) sql.exec("DELETE FROM __usage_by_environment WHERE environment = ? AND day < ?", environment, dayOf(counts[0]!.last - KEEP_DAYS * DAY_MS));
    },

    /** Calls of the last `days` days before `now`, by version, ref, caller and day; `ref` keeps one ref as named, or hashes with that prefix. */
    report({ days, now, ref }: UsageQuery): Omit<UsageReport, "id" | "environment"> {
      const since = dayOf(now - (days - 1) * DAY_MS);
      const all = sql.exec<Row>("SELECT day, ref, hash, caller, calls, failed, last FROM __usage_by_environment WHERE environment = ? AND day >= ? ORDER BY day", environment, since).toArray();
      const rows = ref === undefined ? all : all.filter((row) => row.ref === ref || (/^[0-9a-f]{4,64}$/.test(ref) && row.hash.startsWith(ref)));
      const refsOf = (hash: string) => [...new Set(rows.filter((row) => row.hash === hash).map((row) => row.ref))];
      return {
        since,
        days,
        ...(ref === undefined ? {} : { ref }),
        total: { calls: rows.reduce((sum, row) => sum + row.calls, 0), failed: rows.reduce((sum, row) => sum + row.failed, 0) },
        versions: group(rows, (row) => row.hash, "hash").map((entry) => ({ ...entry, refs: refsOf(entry.hash) })),
        refs: group(rows, (row) => row.ref, "ref"),
        callers: group(rows, (row) => row.caller, "caller"),
        daily: group(rows, (row) => row.day, "day").map(({ day, calls, failed }) => ({ day, calls, failed })).sort((a, b) => (a.day < b.day ? -1 : 1)),
      };
    },
  };
}

export type UsageLog = ReturnType<typeof createUsageLog>;
