// Schedules of one object: which version runs them (always `latest`: a rollback changes the code that runs next),
// and the alarm pass that runs every due pattern once and sets the alarm to the earliest next run.
import type { ScheduleStore } from "./context/schedule-store.ts";
import type { HostContext } from "./context/host-context.ts";
import { settleCall } from "./executor/invoke.ts";
import type { PreparedVersion, SandboxEntrypoint } from "./executor/loader.ts";
import type { RuntimeLimits } from "./limits.ts";

export interface ScheduleScope {
  id: string;
  store: ScheduleStore;
  limits: RuntimeLimits;
  /** The version `latest` names now; null when the object has no latest. */
  latest(): Promise<PreparedVersion | null>;
  /**
   * The sandbox of a version, asked for only when a schedule is due: a loaded worker fetched but not called inside a
   * request was seen to break later calls to it from other requests (workerd 2026-11).
   */
  sandbox(version: PreparedVersion): SandboxEntrypoint;
  host(version: PreparedVersion): HostContext;
  setAlarm(at: number | null): Promise<void>;
  now(): Date;
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
      const reply = await settleCall(scope.sandbox(latest).schedule(row.pattern, scope.host(latest), { pattern: row.pattern, at: new Date(row.next_at).toISOString() }), scope.id, `schedule ${row.pattern}`, scope.limits);
      scope.store.recordRun(row.pattern, started, scope.now().getTime() - started.getTime(), reply.ok, reply.ok ? null : reply.failure.message);
      scope.store.advance(row, scope.now());
      ran++;
    }
  }
  await scope.setAlarm(scope.store.earliest());
  return ran;
}

/** One schedule handler run on request (`POST /<id>@<ref>/__schedules/run?pattern=…`), resolved to a content hash. */
export interface ScheduleCall {
  id: string;
  environment: string;
  hash: string;
  label: string;
  pattern: string;
}
