// Schedules of one object: which version runs them (`latest`, so a rollback changes the code that runs next, or a
// rollout's canary for its share of ticks), and the alarm pass that runs every due pattern once and sets the alarm to the earliest next run.
import type { ScheduleStore } from "./context/schedule-store.ts";
import type { Result } from "../../core/index.ts";
import type { PreparedVersion, TickInfo } from "../executor/loader.ts";
import { chooseArm } from "../shared/rollout-split.ts";
import type { RunningRollout, VersionCache } from "../executor/version-cache.ts";
import type { ObjectsError } from "../../core/index.ts";
import type { RolloutCount } from "../../schemas/index.ts";
import { countRollout, type RolloutTag } from "../shared/rollout-counts.ts";
import type { RolloutMetrics } from "./context/rollout-metrics.ts";
import type { ScheduleCall } from "../shared/host-rpc.ts";

export type { ScheduleCall };

export interface ScheduleScope {
  id: string;
  store: ScheduleStore;
  /** The version `latest` names now (with the rollout running, if one is); null when the object has no latest. */
  latest(): Promise<(PreparedVersion & { rollout?: RunningRollout }) | null>;
  /** A version by content hash (a rollout's canary). */
  byHash(hash: string): Promise<PreparedVersion>;
  /** Counts a run a rollout chose the side of, for the step's analysis. */
  counted(tag: RolloutTag, ok: boolean, ms: number, at: number): void;
  /**
   * Runs one tick in the version's sandbox, asked for only when a schedule is due: a loaded worker fetched but not
   * called inside a request was seen to break later calls to it from other requests (workerd 2026-11).
   */
  run(version: PreparedVersion, pattern: string, tick: TickInfo): Promise<Result<{ json: string }>>;
  setAlarm(at: number | null): Promise<void>;
  now(): Date;
}

/**
 * Which version runs one tick of a schedule while a rollout runs: the canary's handler takes its share of ticks
 * (decided by the tick's time, so a retried tick runs the same side) when the rollout ramps the whole object or names
 * the pattern, and the canary has that schedule.
 */
async function sideOf(scope: ScheduleScope, latest: PreparedVersion & { rollout?: RunningRollout }, pattern: string, at: number): Promise<{ version: PreparedVersion; tag?: RolloutTag }> {
  const { rollout } = latest;
  if (!rollout) return { version: latest };
  const arm = chooseArm(rollout, scope.id, `schedule:${pattern}@${at}`, pattern, () => 0);
  const canary = arm === "canary" ? await scope.byHash(rollout.canary) : null;
  if (canary && !canary.built.schedulePatterns.includes(pattern)) return { version: latest };
  return { version: canary ?? latest, tag: { id: rollout.id, step: rollout.step, arm } };
}

/** Runs the due schedules of `latest` one after another; a slow run skips the ticks it overlapped (single flight). */
export async function runDueSchedules(scope: ScheduleScope): Promise<number> {
  const latest = await scope.latest();
  let ran = 0;
  if (!latest) {
    scope.store.sync([], scope.now());
  } else {
    scope.store.sync(latest.built.schedulePatterns, scope.now());
    for (const row of scope.store.due(scope.now().getTime())) {
      const started = scope.now();
      const { version, tag } = await sideOf(scope, latest, row.pattern, row.next_at);
      const reply = await scope.run(version, row.pattern, { pattern: row.pattern, at: new Date(row.next_at).toISOString() });
      const ms = scope.now().getTime() - started.getTime();
      scope.store.recordRun(row.pattern, started, ms, reply.ok, reply.ok ? null : reply.failure.message);
      if (tag) scope.counted(tag, reply.ok, ms, started.getTime());
      scope.store.advance(row, scope.now());
      ran++;
    }
  }
  await scope.setAlarm(scope.store.earliest());
  return ran;
}

/** What a schedule pass reads besides its store: `latest` (none while quarantined), versions by hash, the rollout counts. */
export function scheduleSources(versions: VersionCache, id: string, rollouts: RolloutMetrics): Pick<ScheduleScope, "id" | "latest" | "byHash" | "counted" | "now"> {
  return {
    id,
    latest: async () => {
      try {
        const latest = await versions.resolve(id, "latest");
        // A quarantined latest runs no schedule: they are set again when it is released or replaced.
        return latest.quarantine ? null : latest;
      } catch (error) {
        if ((error as ObjectsError).kind === "not-found" || (error as ObjectsError).kind === "gone") return null;
        throw error;
      }
    },
    byHash: (hash) => versions.byHash(hash),
    counted: (rollout, ok, ms, at) => {
      const counts = new Map<string, RolloutCount>();
      countRollout(counts, { at, ok, ms, rollout });
      rollouts.record([...counts.values()]);
    },
    now: () => new Date(),
  };
}
