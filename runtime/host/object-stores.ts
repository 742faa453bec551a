// The host's records, over its Durable Object's SQLite: one table each, keyed by environment (the object's own state
// lives in its facets). Tables of the earlier layout (one Durable Object per environment) are taken over as they are.
import { createCallLog, prepareCallLog } from "./context/call-log.ts";
import { CALL_MINUTES_SCHEMA, createCallMinutes } from "./context/call-minutes.ts";
import { createEventLog, prepareEventLog } from "./context/event-log.ts";
import { createMessages } from "./context/messages.ts";
import { createOutbox, prepareOutbox } from "./context/outbox.ts";
import { createScheduleStore, prepareScheduleStore } from "./context/schedule-store.ts";
import { createUsageLog, prepareUsageLog } from "./context/usage-log.ts";
import { createRolloutMetrics, ROLLOUT_METRICS_SCHEMA } from "./context/rollout-metrics.ts";
import type { PreparedVersion } from "../executor/loader.ts";
import type { ObjectDeps } from "./object-deps.ts";

/** Creates the host's tables, adding the environment to those an earlier layout wrote. */
export function prepareHostTables(sql: SqlStorage): void {
  prepareCallLog(sql);
  prepareEventLog(sql);
  prepareOutbox(sql);
  prepareScheduleStore(sql);
  prepareUsageLog(sql);
  sql.exec(ROLLOUT_METRICS_SCHEMA);
  sql.exec(CALL_MINUTES_SCHEMA);
}

/** The host's records of one environment (and the rollout counts, which are production's). */
export function createEnvironmentStores(sql: SqlStorage, deps: ObjectDeps, { id, environment }: { id: string; environment: string }) {
  const outbox = createOutbox(sql, environment);
  return {
    outbox,
    log: createEventLog(sql, environment),
    calls: createCallLog(sql, environment),
    minutes: createCallMinutes(sql, environment),
    usage: createUsageLog(sql, environment),
    rollouts: createRolloutMetrics(sql),
    schedules: createScheduleStore(sql, environment),
    messages: (version: PreparedVersion) =>
      createMessages({
        outbox,
        // Previews and branches never send: their messages wait in the outbox.
        mode: environment === "production" ? deps.outbound.mode : "outbox",
        adapters: (version.snapshot.definition.config as Record<string, unknown> | undefined)?.outbound,
        secrets: deps.outbound.secrets,
        allowPrivateUrls: deps.outbound.allowPrivateUrls,
        object: { id, environment },
      }),
  };
}

export type EnvironmentStores = ReturnType<typeof createEnvironmentStores>;

/** Deletes one environment's records (a preview closed, a branch deleted, the object deleted). */
export function deleteEnvironmentRecords(sql: SqlStorage, environment: string): void {
  for (const table of ["__calls", "__call_minutes", "__events", "__outbox", "__schedule_runs", "__usage_by_environment"]) sql.exec(`DELETE FROM ${table} WHERE environment = ?`, environment);
  if (environment === "production") {
    sql.exec("DELETE FROM __schedules");
    sql.exec("DELETE FROM __rollout_metrics");
  }
}
