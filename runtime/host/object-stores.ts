// The stores of one object in one environment, over its Durable Object's SQLite (and R2 for large files).
import { createCallLog } from "./context/call-log.ts";
import { createDocuments } from "./context/documents.ts";
import { createEventLog } from "./context/event-log.ts";
import { createFiles } from "./context/files.ts";
import type { createGitx } from "./context/git.ts";
import { createMessages } from "./context/messages.ts";
import { createOutbox } from "./context/outbox.ts";
import { createScheduleStore } from "./context/schedule-store.ts";
import { createUsageLog } from "./context/usage-log.ts";
import { createRolloutMetrics } from "./context/rollout-metrics.ts";
import type { PreparedVersion } from "../executor/loader.ts";
import { filesPrefix } from "./object-fork.ts";
import type { ObjectDeps } from "../shared/object-calls.ts";

export function createObjectStores(sql: SqlStorage, deps: ObjectDeps, { id, environment }: { id: string; environment: string }) {
  const outbox = createOutbox(sql);
  return {
    documents: createDocuments(sql),
    outbox,
    files: createFiles({ sql, bucket: deps.files, prefix: filesPrefix(environment, id) }),
    log: createEventLog(sql),
    calls: createCallLog(sql),
    usage: createUsageLog(sql),
    rollouts: createRolloutMetrics(sql),
    // Created on first use: a repository costs nothing until an object commits.
    gitx: undefined as ReturnType<typeof createGitx> | undefined,
    schedules: createScheduleStore(sql),
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

export type ObjectStores = ReturnType<typeof createObjectStores>;
