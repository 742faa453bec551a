// ObjectDO, the host object of one id (named `production:<id>`): it runs each environment's version as a facet with
// that environment's own SQLite (facets.ts), and keeps what a facet cannot do or must not be trusted with: the
// schedule alarm, events between objects, per-call quotas of outside capabilities, the call log and usage, outboxes.
import { DurableObject } from "cloudflare:workers";
import { failed, ObjectsError, type Result } from "../../core/index.ts";
import { consentOf, PRODUCTION, type ArmCounts } from "../../registry/index.ts";
import { refuseUnreleased } from "./release-check.ts";
import type { CallEntry } from "./context/call-log.ts";
import type { HostContext } from "./context/host-context.ts";
import { callHost } from "./call-host.ts";
import { settleSandbox } from "../executor/invoke.ts";
import { sandboxOf, sandboxOptions, supervisedCalls, type PreparedVersion, type SandboxEntrypoint, type SandboxOptions, type WireReply } from "../executor/loader.ts";
import type { FacetEntrypoint } from "../shared/sandbox-protocol.ts";
import { type MinuteCount, type RolloutCount, type RolloutSeriesPoint, type UsageCount, type UsageQuery, type UsageReport, type ForkOutcome, type ForkRequest, type ObjectRecordKind, type ObjectRecords } from "../../schemas/index.ts";
import { deliverEvent, settleEvents, type BubbleOrigin, type BubbleOutcome, type EventEnvelope, type EventOrigin, type EventScope } from "./object-events.ts";
import { runDueSchedules, scheduleSources, type ScheduleCall } from "./object-schedules.ts";
import { recordsOf } from "./object-records.ts";
import { createVersionCache, currentVersion, type VersionCache } from "../executor/version-cache.ts";
import { createEnvironmentStores, deleteEnvironmentRecords, prepareHostTables, type EnvironmentStores } from "./object-stores.ts";
import { createFacets, type Facets } from "./facets.ts";
import { deleteFilesUnder, filesPrefix } from "./blobs.ts";
import { forkByClone } from "./object-fork.ts";
import { LEGACY_TABLES, readLegacyPage, takeOverLegacy, type LegacyCursor, type LegacyPage, type LegacyTable } from "./legacy-layout.ts";
import type { Identity, ObjectCall, PageCall } from "../shared/object-calls.ts";
import type { ObjectDeps } from "./object-deps.ts";
type Start = (entry: SandboxEntrypoint, host: HostContext) => Promise<WireReply>;
type HostlessStart = (entry: SandboxEntrypoint) => Promise<WireReply>;
/** A call the facet may answer with no host crossing, for the versions whose modules allow it (module.ts `hostless`). */
type Hostless = { allowed(version: PreparedVersion): boolean; start: HostlessStart };

/** The runtime's Durable Object; `deps()` is supplied by the composition root, which picks the adapters. */
export abstract class ObjectDOBase extends DurableObject {
  protected abstract deps(): ObjectDeps;
  private cached?: { deps: ObjectDeps; versions: VersionCache; facets: Facets; options: SandboxOptions };
  private readonly stores = new Map<string, EnvironmentStores>();
  /** Environments whose state of the earlier layout this instance has seen moved (or found none). */
  private readonly ready = new Set<string>();
  /** Counts deletions of each environment's state: a call that began before one ends with 410, never on a new one. */
  private readonly generations = new Map<string, number>();
  /** Production's state runs only code production published, whatever the Worker asked (release-check.ts). */
  private readonly unreleased = refuseUnreleased(() => this.runtime.deps.registry);
  private prepared = false;

  private get runtime() {
    if (!this.cached) {
      const deps = this.deps();
      const options = sandboxOptions(deps.limits, deps.quotas.fsx);
      this.cached = { deps, options, versions: createVersionCache({ registry: deps.registry, ttlMs: deps.limits.resolveTtlMs }), facets: createFacets({ ctx: this.ctx, loader: deps.loader, options }) };
    }
    return this.cached;
  }

  /** The host's id, remembered for the alarm (which has no request) when schedules are set; written once per instance. */
  private stored?: string;
  private identify(id: string): void {
    if (this.stored === id) return;
    this.ctx.storage.kv.put("identity", { id, environment: PRODUCTION } satisfies Identity);
    this.stored = id;
  }

  /** Creates the host's tables once per instance (taking over the earlier layout's). */
  private prepare(): void {
    if (!this.prepared) prepareHostTables(this.ctx.storage.sql);
    this.prepared = true;
  }

  private storesFor({ id, environment }: Identity): EnvironmentStores {
    this.prepare();
    let stores = this.stores.get(environment);
    if (!stores) this.stores.set(environment, (stores = createEnvironmentStores(this.ctx.storage.sql, this.runtime.deps, { id, environment })));
    return stores;
  }

  private generation = (environment: string) => this.generations.get(environment) ?? 0;

  /** The version an environment serves now (`fresh`: whatever this instance cached). */
  private current(identity: Identity, fresh = false) {
    return currentVersion(this.runtime.versions, identity, { fresh });
  }

  /** Takes over what the earlier layout kept for an environment, once (legacy-layout.ts); until then no call runs there. */
  private async readyFor(identity: Identity): Promise<void> {
    if (this.ready.has(identity.environment)) return;
    const { facets, deps } = this.runtime;
    await takeOverLegacy({ ctx: this.ctx, facets, legacy: deps.legacy, current: () => this.current(identity) }, identity);
    this.ready.add(identity.environment);
  }

  /**
   * Whether a version is the one its environment serves (it then runs in the facet): as this instance's refs say, or,
   * when the caller named the environment's own ref and these disagree, as the registry says now (a publish).
   */
  private async isCurrent(identity: Identity, hash: string, head: boolean | undefined): Promise<boolean> {
    if ((await this.served(identity))?.snapshot.hash === hash) return true;
    return head === true && (await this.served(identity, true))?.snapshot.hash === hash;
  }

  /** The version an environment serves, or null when it serves none now (its object removed there: pinned versions still run). */
  private async served(identity: Identity, fresh = false): Promise<PreparedVersion | null> {
    try {
      return await this.current(identity, fresh);
    } catch (error) {
      if (error instanceof ObjectsError && (error.kind === "not-found" || error.kind === "gone")) return null;
      throw error;
    }
  }

  /** The per-call `$` host: outside capabilities here, state in the facet. */
  private host(identity: Identity, version: PreparedVersion, facet: FacetEntrypoint): HostContext {
    const generation = this.generation(identity.environment);
    return callHost(this.runtime.deps, identity, version, facet, () => this.storesFor(identity), () => this.generation(identity.environment) !== generation);
  }

  private events(identity: Identity, version: PreparedVersion): EventScope {
    return {
      id: identity.id,
      version,
      log: this.storesFor(identity).log,
      limits: this.runtime.deps.limits,
      deliver: (envelope) => this.inVersion(identity, version, identity.id, `event ${envelope.name}`, true, (entry, host) => entry.event(envelope.data, host, { name: envelope.name, source: envelope.source, hops: envelope.hops }), envelope),
      bubble: (parent, next, from) => this.runtime.deps.host(parent).receive({ id: parent, environment: identity.environment }, next, from),
    };
  }

  /** Runs one API method with a `$` bound to this object's state; the result comes back as JSON text. */
  invoke(call: ObjectCall): Promise<Result<{ json: string }>> {
    return this.run(call, call.method, (entry, host) => entry.call(call.method, call.params, host), { allowed: (version) => version.built.hostless.has(call.method), start: (entry) => entry.call(call.method, call.params, undefined) });
  }

  /** Evaluates the expressions and components of one page with `$` bound to this object's state. */
  page(call: PageCall): Promise<Result<{ json: string }>> {
    return this.run(call, `page ${call.key}`, (entry, host) => entry.page(call.key, call.info, call.calls, host), { allowed: (version) => version.built.pages.hostless.has(call.key), start: (entry) => entry.page(call.key, call.info, call.calls, undefined) });
  }

  /** Runs one schedule handler of a version now, because someone asked (a preview's schedules run only so). */
  async runSchedule(call: ScheduleCall): Promise<Result<{ json: string }>> {
    const started = new Date();
    const reply = await this.run(call, `schedule ${call.pattern}`, (entry, host) => entry.schedule(call.pattern, host, { pattern: call.pattern, at: started.toISOString() }));
    this.storesFor(call).schedules.recordRun(call.pattern, started, Date.now() - started.getTime(), reply.ok, reply.ok ? null : reply.failure.message);
    return reply;
  }

  private async run(call: Omit<ObjectCall, "method" | "params">, what: string, start: Start, hostless?: Hostless): Promise<Result<{ json: string }>> {
    try {
      await this.unreleased(call);
      const identity = { id: call.id, environment: call.environment };
      await this.readyFor(identity);
      const version = await this.runtime.versions.byHash(call.hash);
      const current = await this.isCurrent(identity, call.hash, call.head);
      return await this.inVersion(identity, version, call.label, what, current, start, undefined, current && hostless?.allowed(version) ? hostless.start : undefined);
    } catch (error) {
      return failed(error);
    }
  }

  /**
   * One call of a version with a `$` bound to its environment's state: in the facet when it is the version the
   * environment serves (its `$.db` local, under the input gate), else in its own sandbox reaching the facet's state one
   * operation at a time. The events it emitted (their local handlers already ran) are recorded and bubbled before it
   * answers; `origin` is where they begin. `hostless`: the facet answers this call with no host crossing.
   */
  private async inVersion(identity: Identity, version: PreparedVersion, label: string, what: string, current: boolean, start: Start, origin: EventOrigin = { source: identity.id, hops: 0 }, hostless?: HostlessStart): Promise<Result<{ json: string }>> {
    const { environment } = identity;
    const generation = this.generation(environment);
    const { facets, deps, options } = this.runtime;
    const body = async (facet: FacetEntrypoint, entry: SandboxEntrypoint) => {
      const host = hostless ? undefined : this.host(identity, version, facet);
      const supervised = supervisedCalls(entry, version, environment, options);
      return { ...(await settleSandbox(host ? start(supervised, host) : hostless!(supervised), label, what, deps.limits)), host };
    };
    const { result, events, host, refused } = current
      ? await facets.with(environment, version, (facet) => body(facet, facet))
      : await facets.withAny(environment, async () => (await this.served(identity)) ?? version, (facet) => body(facet, sandboxOf(deps.loader, version, environment, options)));
    // Whatever the call answered (it may have caught the refusal), its state is gone, and its events with it.
    if (this.generation(environment) !== generation) return failed(new ObjectsError("object-removed", `${label} was deleted while ${what} ran`));
    if (events.length > 0) await settleEvents(this.events(identity, version), origin, events);
    const exceeded = host?.exceeded ?? (refused === "fsx" ? "fsx" : undefined);
    if (exceeded) return failed(new ObjectsError(`quota-${exceeded}`, `${what} used $.${exceeded} more often than one call may`));
    if (host?.storageFull || refused === "storage") return failed(new ObjectsError("storage-quota", `${label} has used up its storage (config.limits.storageBytes)`));
    return result;
  }

  /** The Worker's record of this object's calls, in batches (call-journal.ts): one write a second, not one per call. */
  recordCalls(target: Identity, entries: CallEntry[], usage: UsageCount[] = [], rollout: RolloutCount[] = [], minutes: MinuteCount[] = []): void {
    const stores = this.storesFor(target);
    stores.calls.record(entries);
    stores.minutes.record(minutes);
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

  /** A child's event: handled here if this environment's version accepts the child (checked again now), then bubbled on. */
  async receive(target: Identity, envelope: EventEnvelope, from: BubbleOrigin): Promise<BubbleOutcome> {
    await this.readyFor(target);
    const version = await this.current(target, target.environment !== PRODUCTION);
    const consent = consentOf(from, { id: target.id, accepts: version.snapshot.definition.accepts });
    if (!consent.ok) return { delivered: false, reason: consent.reason };
    if (version.quarantine) return { delivered: false, reason: `${target.id}@latest is quarantined: ${version.quarantine.reason}` };
    await deliverEvent(this.events(target, version), envelope);
    return { delivered: true };
  }

  /** After a move of `latest` that may change its schedules or its `accepts`: cached refs go, schedules follow the new code. */
  async latestMoved(target: Identity): Promise<void> {
    if (target.environment !== PRODUCTION) return;
    this.identify(target.id);
    this.runtime.versions.invalidate(target.id);
    await this.runSchedules(target);
  }

  override async alarm(): Promise<void> {
    const identity = this.ctx.storage.kv.get<Identity>("identity");
    if (identity) await this.runSchedules({ id: identity.id, environment: PRODUCTION });
  }

  private async runSchedules(identity: Identity) {
    await this.readyFor(identity);
    const stores = this.storesFor(identity);
    return runDueSchedules({
      ...scheduleSources(this.runtime.versions, identity.id, stores.rollouts),
      store: stores.schedules,
      run: async (version, pattern, tick) =>
        this.inVersion(identity, version, identity.id, `schedule ${pattern}`, await this.isCurrent(identity, version.snapshot.hash, false), (entry, host) => entry.schedule(pattern, host, tick)),
      setAlarm: async (at) => (at === null ? this.ctx.storage.deleteAlarm() : this.ctx.storage.setAlarm(at)),
    });
  }

  /** What `GET /<id>/__outbox`, `__events`, `__schedules` and `__calls` show. */
  views<K extends ObjectRecordKind>(target: Identity, kind: K, limit = 100): ObjectRecords[K] {
    return recordsOf(this.storesFor(target), kind, limit);
  }

  /** Bytes the object stores in an environment: its facet's SQLite plus its files in R2. */
  async stateBytes(target: Identity): Promise<number> {
    await this.readyFor(target);
    return this.runtime.facets.withAny(target.environment, () => this.current(target), (facet) => facet.storedBytes());
  }

  /** Replaces a preview's state with a clone of production's, scrubbed by the definition's `preview.redact`. */
  async fork(target: Identity, request: ForkRequest): Promise<ForkOutcome> {
    const production = { id: target.id, environment: PRODUCTION };
    await this.readyFor(production);
    await this.readyFor(target);
    await this.wipe(target);
    const version = await this.runtime.versions.byHash(request.hash);
    return forkByClone({
      id: target.id,
      environment: target.environment,
      sql: this.ctx.storage.sql,
      facets: this.runtime.facets,
      production: () => this.current(production),
      version,
      flushEvents: () => this.storesFor(production).log.flush(),
      redact: (tick) => this.inVersion(target, version, `${target.id}@${target.environment}`, "preview.redact", true, (entry, host) => entry.schedule(tick.pattern, host, tick)),
      wipe: () => this.wipe(target),
    }, request);
  }

  /** Deletes an environment's state (facet, records, files in R2); production's takes the schedules and alarm with it. */
  async wipe(target: Identity): Promise<void> {
    const { environment } = target;
    this.generations.set(environment, this.generation(environment) + 1);
    this.stores.get(environment)?.log.discard();
    this.stores.delete(environment);
    this.runtime.facets.delete(environment);
    this.prepare();
    deleteEnvironmentRecords(this.ctx.storage.sql, environment);
    if (environment === PRODUCTION) await this.ctx.storage.deleteAlarm();
    this.runtime.versions.invalidate(target.id);
    await deleteFilesUnder(this.runtime.deps.files, filesPrefix(environment, target.id));
  }

  /** One page of the earlier layout's tables (this object was one environment's, before hosts held them all). */
  exportLegacy(cursor?: LegacyCursor): LegacyPage | null {
    return readLegacyPage(this.ctx.storage.sql, LEGACY_TABLES as readonly LegacyTable[], cursor);
  }

  /** After the host took this earlier object's state: it holds nothing more (files stay in R2: rows name them). */
  async retireLegacy(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }
}

