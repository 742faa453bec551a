// ObjectDO: one object in one environment. Holds its state (db, files, outbox, event log, schedules), runs the calls
// that use `$`, takes events bubbling up from child objects, and runs schedules on its alarm.
import { DurableObject } from "cloudflare:workers";
import { failed, ObjectsError, type Result } from "../../core/index.ts";
import { consentOf, environmentsOf, PRODUCTION, type ArmCounts } from "../../registry/index.ts";
import type { CallEntry } from "./context/call-log.ts";
import { createObjectStores, type ObjectStores } from "./object-stores.ts";
import { createBashx } from "./context/bash.ts";
import { deleteFilesUnder } from "./context/files.ts";
import { createGitx } from "./context/git.ts";
import { HostContext } from "./context/host-context.ts";
import { settleSandbox } from "../executor/invoke.ts";
import { sandboxOf, sandboxOptions, type PreparedVersion, type SandboxEntrypoint, type WireReply } from "../executor/loader.ts";
import { DEFAULT_STORAGE_BYTES, type RolloutCount, type RolloutSeriesPoint, type UsageCount, type UsageQuery, type UsageReport, type ForkOutcome, type ForkRequest, type ObjectRecordKind, type ObjectRecords } from "../../schemas/index.ts";
import { limitsOf } from "../worker/admission.ts";
import { deliverEvent, settleEvents, type BubbleOrigin, type BubbleOutcome, type EventEnvelope, type EventOrigin, type EventScope } from "./object-events.ts";
import { runDueSchedules, type ScheduleCall } from "./object-schedules.ts";
import { countRollout } from "../worker/call-journal.ts";
import { recordsOf } from "./object-records.ts";
import { createVersionCache, versionInEnvironment, type VersionCache } from "../executor/version-cache.ts";
import { readStatePage, storedBytes, type CopiedTable, type StateCursor, type StatePage } from "./context/state-copy.ts";
import { filesPrefix, forkState } from "./object-fork.ts";
import type { Identity, ObjectCall, ObjectDeps, PageCall } from "../shared/object-calls.ts";

/** The runtime's Durable Object; `deps()` is supplied by the composition root, which picks the adapters. */
export abstract class ObjectDOBase extends DurableObject {
  protected abstract deps(): ObjectDeps;
  private cached?: { deps: ObjectDeps; versions: VersionCache };
  private stores?: ObjectStores;
  /** Counts deletions of the state: a call that began before one ends with 410, never on tables that are gone. */
  private generation = 0;

  private get runtime() {
    if (!this.cached) {
      const deps = this.deps();
      this.cached = { deps, versions: createVersionCache({ registry: deps.registry, ttlMs: deps.limits.resolveTtlMs }) };
    }
    return this.cached;
  }

  /** The identity this instance has already stored: a call writes it only when it is new. */
  private stored?: Identity;

  // The object's identity is remembered, so the alarm (which has no request) knows whom it runs for. Written once per
  // instance, not per call: a write holds the call's response until it commits (the output gate).
  private identify(identity: Identity): Identity {
    if (this.stored?.id === identity.id && this.stored.environment === identity.environment) return this.stored;
    this.ctx.storage.kv.put("identity", identity);
    return (this.stored = identity);
  }

  private identity(): Identity | undefined {
    return this.ctx.storage.kv.get<Identity>("identity");
  }

  private storesFor(identity: Identity) {
    return (this.stores ??= createObjectStores(this.ctx.storage.sql, this.runtime.deps, identity));
  }

  private host(identity: Identity, version: PreparedVersion): HostContext {
    const stores = this.storesFor(identity);
    const { deps } = this.runtime;
    const generation = this.generation;
    return new HostContext({
      removed: () => this.generation !== generation,
      documents: stores.documents,
      files: stores.files,
      bash: createBashx(stores.files),
      git: { run: (operation, args) => (stores.gitx ??= createGitx(this.ctx.storage.sql, stores.files, { name: identity.id, email: `${identity.environment}@${identity.id}` })).run(operation, args) },
      messages: stores.messages(version),
      services: deps.services(identity.environment),
      quotas: deps.quotas,
      // R2's share as the files store keeps it: stateBytes() scans the files for it (for other callers).
      storageFull: (bytes) => storedBytes(this.ctx.storage.sql, stores.files.blobBytes()) + bytes > (limitsOf(version).storageBytes ?? DEFAULT_STORAGE_BYTES),
    });
  }


  private sandbox(identity: Identity, version: PreparedVersion) {
    return sandboxOf(this.runtime.deps.loader, version, identity.environment, sandboxOptions(this.runtime.deps.limits));
  }

  private events(identity: Identity, version: PreparedVersion): EventScope {
    return {
      id: identity.id,
      version,
      log: this.storesFor(identity).log,
      limits: this.runtime.deps.limits,
      deliver: (envelope) =>
        this.inSandbox(identity, version, identity.id, `event ${envelope.name}`, (sandbox, host) => sandbox.event(envelope.data, host, { name: envelope.name, source: envelope.source, hops: envelope.hops }), envelope),
      bubble: (parent, next, from) => this.runtime.deps.object(identity.environment, parent).receive({ id: parent, environment: identity.environment }, next, from),
    };
  }

  /** Runs one API method with a `$` bound to this object's state; the result comes back as JSON text. */
  invoke(call: ObjectCall): Promise<Result<{ json: string }>> {
    return this.run(call, call.method, (sandbox, host) => sandbox.call(call.method, call.params, host));
  }

  /**
   * The Worker's record of this object's calls, in batches (see call-journal.ts): one write a second instead of one
   * per call, whose commit every later response would wait for (the output gate).
   */
  recordCalls(target: Identity, entries: CallEntry[], usage: UsageCount[] = [], rollout: RolloutCount[] = []): void {
    const stores = this.storesFor(this.identify(target));
    stores.calls.record(entries);
    stores.usage.record(usage);
    stores.rollouts.record(rollout);
  }

  /** Both sides' calls in one step of a rollout, for its analysis. */
  rolloutStep(target: Identity, rollout: string, step: number): { stable: ArmCounts; canary: ArmCounts } {
    return this.storesFor(target).rollouts.step(rollout, step);
  }

  /** A rollout's calls by 10 s slot and side, for the dashboard's chart. */
  rolloutSeries(target: Identity, rollout: string): RolloutSeriesPoint[] {
    return this.storesFor(target).rollouts.series(rollout);
  }

  /** What `GET /<id>/__usage` shows: every call of the last days, by version, ref, caller and day. */
  usage(target: Identity, query: UsageQuery): UsageReport {
    return { id: target.id, environment: target.environment, ...this.storesFor(target).usage.report(query) };
  }

  /** Evaluates the expressions and components of one page with `$` bound to this object's state. */
  page(call: PageCall): Promise<Result<{ json: string }>> {
    return this.run(call, `page ${call.key}`, (sandbox, host) => sandbox.page(call.key, call.info, call.calls, host));
  }

  private async run(call: Omit<ObjectCall, "method" | "params">, what: string, start: (sandbox: SandboxEntrypoint, host: HostContext) => Promise<WireReply>): Promise<Result<{ json: string }>> {
    try {
      await this.refuseUnreleased(call);
      const identity = this.identify({ id: call.id, environment: call.environment });
      return await this.inSandbox(identity, await this.runtime.versions.byHash(call.hash), call.label, what, start);
    } catch (error) {
      return failed(error);
    }
  }

  /** Content hashes this instance has seen production publish (publications are never taken back). */
  private released = new Set<string>();

  /**
   * Production's state runs only code production published, whatever the Worker asked: the last line behind the
   * Worker's own rule (registry/environments.ts). Costs one registry read per new hash per instance.
   */
  private async refuseUnreleased({ id, environment, hash, label }: Omit<ObjectCall, "method" | "params">): Promise<void> {
    if (environment !== PRODUCTION || this.released.has(hash)) return;
    if (!environmentsOf(await this.runtime.deps.registry.state(id), hash).includes(PRODUCTION)) {
      throw new ObjectsError("version-unreleased", `${label} never reached production, so it does not run on production's state`);
    }
    this.released.add(hash);
  }

  /**
   * One call into the version's sandbox with a `$` bound to this object's state. The events it emitted (their local
   * handlers already ran there) are recorded and bubbled before it answers; `origin` is where they begin.
   */
  private async inSandbox(identity: Identity, version: PreparedVersion, label: string, what: string, start: (sandbox: SandboxEntrypoint, host: HostContext) => Promise<WireReply>, origin: EventOrigin = { source: identity.id, hops: 0 }): Promise<Result<{ json: string }>> {
    const generation = this.generation;
    const host = this.host(identity, version);
    const { result, events } = await settleSandbox(start(this.sandbox(identity, version), host), label, what, this.runtime.deps.limits);
    // Whatever the call answered (it may have caught the refusal), its object is gone, and its events with it.
    if (this.generation !== generation) return failed(new ObjectsError("object-removed", `${label} was deleted while ${what} ran`));
    await settleEvents(this.events(identity, version), origin, events);
    if (host.exceeded) return failed(new ObjectsError(`quota-${host.exceeded}`, `${what} used $.${host.exceeded} more often than one call may`));
    if (host.storageFull) return failed(new ObjectsError("storage-quota", `${label} has used up its storage (config.limits.storageBytes)`));
    return result;
  }

  /**
   * An event bubbling up from a child object: handled by this object's `latest` if it accepts the child (checked
   * again here, whatever was checked at publish: either side may have changed since), then bubbled further.
   */
  async receive(target: Identity, envelope: EventEnvelope, from: BubbleOrigin): Promise<BubbleOutcome> {
    const identity = this.identify(target);
    const version = await versionInEnvironment(this.runtime.versions, identity);
    const consent = consentOf(from, { id: identity.id, accepts: version.snapshot.definition.accepts });
    if (!consent.ok) return { delivered: false, reason: consent.reason };
    if (version.quarantine) return { delivered: false, reason: `${identity.id}@latest is quarantined: ${version.quarantine.reason}` };
    await deliverEvent(this.events(identity, version), envelope);
    return { delivered: true };
  }

  /**
   * After a move of `latest` that may change its schedules or whom it accepts events from (production only): the cached
   * refs are dropped, so the next event is judged by the new `accepts`, and schedules follow the new code.
   */
  async latestMoved(target: Identity): Promise<void> {
    if (target.environment !== "production") return;
    this.identify(target);
    this.runtime.versions.invalidate(target.id);
    await this.runSchedules(target);
  }

  override async alarm(): Promise<void> {
    const identity = this.identity();
    if (identity?.environment === "production") await this.runSchedules(identity);
  }

  private runSchedules(identity: Identity) {
    return runDueSchedules({
      id: identity.id,
      store: this.storesFor(identity).schedules,
      run: (version, pattern, tick) => this.inSandbox(identity, version, identity.id, `schedule ${pattern}`, (sandbox, host) => sandbox.schedule(pattern, host, tick)),
      latest: async () => {
        try {
          const latest = await this.runtime.versions.resolve(identity.id, "latest");
          // A quarantined latest runs no schedule: they are set again when it is released or replaced.
          return latest.quarantine ? null : latest;
        } catch (error) {
          if ((error as ObjectsError).kind === "not-found" || (error as ObjectsError).kind === "gone") return null;
          throw error;
        }
      },
      byHash: (hash) => this.runtime.versions.byHash(hash),
      counted: (rollout, ok, ms, at) => {
        const counts = new Map<string, RolloutCount>();
        countRollout(counts, { at, ok, ms, rollout });
        this.storesFor(identity).rollouts.record([...counts.values()]);
      },
      setAlarm: async (at) => (at === null ? this.ctx.storage.deleteAlarm() : this.ctx.storage.setAlarm(at)),
      now: () => new Date(),
    });
  }

  /** What `GET /<id>/__outbox`, `__events`, `__schedules` and `__calls` show. */
  views<K extends ObjectRecordKind>(target: Identity, kind: K, limit = 100): ObjectRecords[K] {
    return recordsOf(this.storesFor(target), kind, limit);
  }

  /** Runs one schedule handler of a version now, because someone asked (a preview's schedules run only so). */
  async runSchedule(call: ScheduleCall): Promise<Result<{ json: string }>> {
    const started = new Date();
    const reply = await this.run(call, `schedule ${call.pattern}`, (sandbox, host) => sandbox.schedule(call.pattern, host, { pattern: call.pattern, at: started.toISOString() }));
    this.storesFor(call).schedules.recordRun(call.pattern, started, Date.now() - started.getTime(), reply.ok, reply.ok ? null : reply.failure.message);
    return reply;
  }

  /** Bytes the object stores in this environment: SQLite (documents, small files, logs) plus files in R2. */
  stateBytes(): number {
    return storedBytes(this.ctx.storage.sql);
  }

  /** One page of this object's state, for a preview forking it. */
  exportState(tables: CopiedTable[], cursor?: StateCursor): StatePage | null {
    if (!cursor) this.stores?.log.flush();
    return readStatePage(this.ctx.storage.sql, tables, cursor);
  }

  /** Replaces this preview's state with a copy of production's, scrubbed by the definition's `preview.redact`. */
  async fork(target: Identity, request: ForkRequest): Promise<ForkOutcome> {
    await this.wipe();
    const identity = this.identify(target);
    const { deps } = this.runtime;
    const production = deps.object("production", target.id);
    const version = await this.runtime.versions.byHash(request.hash);
    const source = { bytes: () => production.stateBytes(), page: (tables: CopiedTable[], cursor?: StateCursor) => production.exportState(tables, cursor) };
    const scope = { ...identity, sql: this.ctx.storage.sql, files: deps.files, source, version, wipe: () => this.wipe() };
    const label = `${identity.id}@${identity.environment}`;
    const outcome = await forkState({ ...scope, redact: (tick) => this.inSandbox(identity, version, label, "preview.redact", (sandbox, host) => sandbox.schedule(tick.pattern, host, tick)) }, request);
    // A call that came in while the copy awaited production counted R2's bytes before every row was there.
    this.stores?.files.recount();
    return outcome;
  }

  /** Deletes this environment's state (the object was deleted, or a preview closed), files in R2 included. */
  async wipe(): Promise<void> {
    this.generation++;
    this.stores?.log.discard();
    const identity = this.identity();
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    if (identity) {
      this.runtime.versions.invalidate(identity.id);
      await deleteFilesUnder(this.runtime.deps.files, filesPrefix(identity.environment, identity.id));
    }
    // deleteAll drops the tables (and the stored identity) too: the next call recreates them.
    delete this.stores;
    delete this.stored;
  }
}
