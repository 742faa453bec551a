// Forking production's state into a preview (inside the preview's ObjectDO): bounded, copied page by page, then
// scrubbed by the definition's `preview.redact` before the preview serves anything. A failed redact leaves the
// preview empty rather than holding data that was meant to be scrubbed.
import { copiedTables, copyState, type CopiedTable, type StateCursor, type StatePage } from "./context/state-copy.ts";
import type { Result } from "../../core/index.ts";
import { REDACT_KEY } from "../executor/module.ts";
import { forkTooLarge } from "../../schemas/index.ts";
import type { PreparedVersion, TickInfo } from "../executor/loader.ts";
import type { ForkOutcome, ForkRequest } from "../../schemas/index.ts";


/** The production side of a fork. */
export interface ForkSource {
  bytes(): Promise<number>;
  page(tables: CopiedTable[], cursor: StateCursor | undefined): Promise<StatePage | null>;
}

export interface ForkScope {
  id: string;
  environment: string;
  sql: SqlStorage;
  files: R2Bucket;
  source: ForkSource;
  version: PreparedVersion;
  /** Runs the definition's `preview.redact` over the copy, in its sandbox. */
  redact(tick: TickInfo): Promise<Result<{ json: string }>>;
  /** Deletes whatever the copy wrote (the redact failed). */
  wipe(): Promise<void>;
}

/** The R2 prefix of an object's files in an environment (files.ts keeps blobs there). */
export const filesPrefix = (environment: string, id: string) => `fsx/${environment}/${id}/`;



/** Copies production's state into a freshly wiped preview and runs the redact step over the copy. */
export async function forkState(scope: ForkScope, request: ForkRequest): Promise<ForkOutcome> {
  const started = Date.now();
  const tooLarge = forkTooLarge(scope.id, await scope.source.bytes(), request.maxBytes);
  if (tooLarge) return { ok: false, reason: tooLarge };
  const tables = copiedTables(request.events);
  const bytes = await copyState({
    sql: scope.sql,
    read: (cursor) => scope.source.page(tables, cursor),
    bucket: scope.files,
    from: filesPrefix("production", scope.id),
    to: filesPrefix(scope.environment, scope.id),
  });
  if (!scope.version.snapshot.definition.preview?.redact) return { ok: true, bytes, ms: Date.now() - started, redacted: false };
  const tick = { pattern: REDACT_KEY, at: new Date().toISOString() };
  const reply = await scope.redact(tick);
  if (reply.ok) return { ok: true, bytes, ms: Date.now() - started, redacted: true };
  await scope.wipe();
  return { ok: false, reason: `${scope.id}: preview.redact failed (${reply.failure.message}); the preview starts empty instead` };
}
