// Every call a rollout split, counted by rollout, step, side and 10 s slot with its latencies: what a step's analysis
// reads, and the series the dashboard draws. Rows of rollouts older than a week are dropped.
import type { ArmCounts } from "../../../registry/index.ts";
import { mergeHistogram, quantileMs, type Histogram, type RolloutCount, type RolloutSeriesPoint } from "../../../schemas/index.ts";

const KEEP_MS = 7 * 86_400_000;

export const ROLLOUT_METRICS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS __rollout_metrics (rollout TEXT NOT NULL, step INTEGER NOT NULL, arm TEXT NOT NULL, slot INTEGER NOT NULL,
    calls INTEGER NOT NULL, failed INTEGER NOT NULL, latency TEXT NOT NULL, PRIMARY KEY (rollout, step, arm, slot)) WITHOUT ROWID;
`;

type Row = { step: number; arm: "stable" | "canary"; slot: number; calls: number; failed: number; latency: string };

const empty = (): ArmCounts => ({ calls: 0, failed: 0, latency: {} });

/** Rollouts split calls to `latest`: their counts are production's, in one table of the host. */
export function createRolloutMetrics(sql: SqlStorage) {
  return {
    record(counts: readonly RolloutCount[]): void {
      for (const count of counts) {
        const row = sql.exec<{ latency: string }>("SELECT latency FROM __rollout_metrics WHERE rollout = ? AND step = ? AND arm = ? AND slot = ?", count.rollout, count.step, count.arm, count.slot).toArray()[0];
        const latency = row ? mergeHistogram(JSON.parse(row.latency) as Histogram, count.latency) : count.latency;
        sql.exec(
          `INSERT INTO __rollout_metrics (rollout, step, arm, slot, calls, failed, latency) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (rollout, step, arm, slot) DO UPDATE SET calls = calls + excluded.calls, failed = failed + excluded.failed, latency = excluded.latency`,
          count.rollout.slice(0, 64), count.step, count.arm, count.slot, count.calls, count.failed, JSON.stringify(latency),
        );
      }
      if (counts.length) sql.exec("DELETE FROM __rollout_metrics WHERE slot < ?", counts[0]!.slot - KEEP_MS);
    },

    /** Both sides' calls in one step of a rollout. */
    step(rollout: string, step: number): { stable: ArmCounts; canary: ArmCounts } {
      const totals = { stable: empty(), canary: empty() };
      for (const row of sql.exec<Row>("SELECT * FROM __rollout_metrics WHERE rollout = ? AND step = ?", rollout, step)) {
        const side = totals[row.arm];
        side.calls += row.calls;
        side.failed += row.failed;
        mergeHistogram(side.latency, JSON.parse(row.latency) as Histogram);
      }
      return totals;
    },

    /** Every slot of a rollout, oldest first, each side's calls, failures and p99. */
    series(rollout: string): RolloutSeriesPoint[] {
      return sql
        .exec<Row>("SELECT * FROM __rollout_metrics WHERE rollout = ? ORDER BY slot, arm", rollout)
        .toArray()
        .map((row) => ({ slot: row.slot, arm: row.arm, step: row.step, calls: row.calls, failed: row.failed, p99Ms: quantileMs(JSON.parse(row.latency) as Histogram, 0.99) }));
    },
  };
}

export type RolloutMetrics = ReturnType<typeof createRolloutMetrics>;
