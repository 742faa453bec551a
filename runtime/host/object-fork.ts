// Forking production's state into a preview (inside the host object): the preview's facet becomes a clone of
// production's (copy-on-write where the file system can, so the time does not grow with the state), then the
// definition's `preview.redact` scrubs it before the preview serves anything. A failed redact leaves the preview
// empty rather than holding data that was meant to be scrubbed.
import type { Result } from "../../core/index.ts";
import { REDACT_KEY } from "../executor/module.ts";
import { forkTooLarge } from "../../schemas/index.ts";
import type { PreparedVersion, TickInfo } from "../executor/loader.ts";
import type { ForkOutcome, ForkRequest } from "../../schemas/index.ts";
import type { Facets } from "./facets.ts";
import { PRODUCTION } from "../../registry/index.ts";

export interface ForkScope {
  id: string;
  environment: string;
  /** The host's SQLite: the event log is copied there when the config asks. */
  sql: SqlStorage;
  facets: Facets;
  /** The version production serves (its facet's class when it is not running). */
  production(): Promise<PreparedVersion>;
  /** The version the preview serves (its `preview.redact`). */
  version: PreparedVersion;
  /** Writes production's pending event log lines, before they are copied. */
  flushEvents(): void;
  /** Runs the definition's `preview.redact` over the copy, in the preview's facet. */
  redact(tick: TickInfo): Promise<Result<{ json: string }>>;
  /** Deletes whatever the clone wrote (the redact failed). */
  wipe(): Promise<void>;
}

/** Clones production's state into a freshly wiped preview and runs the redact step over the clone. */
export async function forkByClone(scope: ForkScope, request: ForkRequest): Promise<ForkOutcome> {
  const started = Date.now();
  // Production's blobs become shared first: production then never deletes one the clone's rows name.
  const bytes = await scope.facets.withAny(PRODUCTION, scope.production, async (facet) => {
    await facet.shareBlobs();
    return facet.storedBytes();
  });
  const tooLarge = forkTooLarge(scope.id, bytes, request.maxBytes);
  if (tooLarge) return { ok: false, reason: tooLarge };
  scope.facets.clone(PRODUCTION, scope.environment);
  if (request.events) {
    scope.flushEvents();
    scope.sql.exec(
      "INSERT INTO __events (at, name, source, hops, handler, status, detail, environment) SELECT at, name, source, hops, handler, status, detail, ? FROM __events WHERE environment = ? ORDER BY seq",
      scope.environment,
      PRODUCTION,
    );
  }
  if (!scope.version.snapshot.definition.preview?.redact) return { ok: true, bytes, ms: Date.now() - started, redacted: false };
  const tick = { pattern: REDACT_KEY, at: new Date().toISOString() };
  const reply = await scope.redact(tick);
  if (reply.ok) return { ok: true, bytes, ms: Date.now() - started, redacted: true };
  await scope.wipe();
  return { ok: false, reason: `${scope.id}: preview.redact failed (${reply.failure.message}); the preview starts empty instead` };
}
