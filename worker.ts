// Composition root of the one deployable Worker: wires the adapters bindings.ts makes into the control plane and the
// runtime, exports the Durable Object classes, and answers fetch, queue and scheduled.
import {
  ConnectionsDO,
  consumeJobs,
  HostnamesDO,
  createControlPlane,
  createObjectService,
  createSupervisorIntake,
  quarantinesOf,
  createPreviewService,
  PreviewsDO,
  reconcileAll,
  createRolloutService,
  RolloutDOBase,
  type RolloutDeps,
  scopeCovers,
  RepoDOBase,
  SourceDOBase,
  type PipelineDeps,
  type PreviewRow,
  type RepoDeps,
  type SourceObjectDeps,
} from "./control-plane/index.ts";
import type { Job, ObjectRecordKind, ObjectRecords } from "./schemas/index.ts";
import { configOf } from "./config.ts";
import { authOf, callerOf, connectionsOf, enqueueOn, HOST_TABLE_TTL_MS, hostnamesOf, hostOf, legacyObjectOf, previewsOf, principalOf, registryOf, repoOf, rolloutOf, schedulesMayMove, consentMayMove, servicesOf, shareSecretOf, sourceOf, versionsOf } from "./bindings.ts";
import { ObjectsError, unwrap } from "./core/index.ts";
import { ObjectIndexDO, r2BlobStore, RefsDO, RefShardDO } from "./registry/store/index.ts";
import {
  createCallJournal,
  createHostTable,
  createRuntimeApp,
  DEFAULT_QUOTAS,
  HubBase,
  type HubDeps,
  LimiterDO,
  ObjectDOBase,
  parseHostTable,
  sandboxOptions,
  trialLoad,
  type AppAuthDeps,
  type ObjectDeps,
} from "./runtime/index.ts";

export { ConnectionsDO, HostnamesDO, LimiterDO, ObjectIndexDO, PreviewsDO, RefsDO, RefShardDO };

/** What rollouts need of the runtime: the production object's counts, and telling the Worker that refs moved. */
function rolloutDepsOf(env: Env): Omit<RolloutDeps, "watch"> {
  const production = (id: string) => hostOf(env, id);
  return {
    registry: registryOf(env),
    stepCounts: (id, rollout, step) => production(id).rolloutStep({ id, environment: "production" }, rollout, step),
    series: (id, rollout) => production(id).rolloutSeries({ id, environment: "production" }, rollout),
    changed: async (id, rollout) => {
      versionsOf(env).invalidate(id);
      // A promotion moved latest: schedules follow it.
      if (rollout.status === "promoted") await production(id).latestMoved({ id, environment: "production" });
    },
    // The canary's repository on GitHub gets the rollout as a section of the commit's check run.
    report: async (id, rollout) => {
      const { publications } = await registryOf(env).state(id);
      const from = publications.find((publication) => publication.rollout === rollout.id)?.provenance;
      if (from?.source === "github" && from.repo && from.commit) await sourceOf(env, from.repo).reportRollout(from.commit, id, rollout);
    },
    now: () => Date.now(),
  };
}

/** The timer of one object's rollouts: each step's analysis on its alarm. */
export class RolloutDO extends RolloutDOBase {
  protected deps() {
    return rolloutDepsOf(this.env as Env);
  }
}

/** The runtime's ports as the control plane sees them: trial loads, forks, and telling the runtime that refs moved. */
function pipelineOf(env: Env): Required<PipelineDeps> {
  const { limits } = configOf(env);
  return {
    previews: {
      productionBytes: (id) => hostOf(env, id).stateBytes({ id, environment: "production" }),
      fork: async (id, environment, request) => {
        const outcome = await hostOf(env, id).fork({ id, environment }, request);
        if (outcome.ok) await previewsOf(env).forked(environment, id, Date.now(), outcome.bytes);
        return outcome;
      },
      record: async (entry) => previewsOf(env).record(entry),
      drop: async (ref, ids) => void (await previewsOf(env).drop(ref, ids)),
    },
    registry: registryOf(env),
    blobs: r2BlobStore(env.SNAPSHOTS),
    trialLoad: (definition, hash) => trialLoad(env.LOADER, { hash, definition, provenance: { source: "api", at: "" } }, sandboxOptions(limits)),
    refsChanged: async (id, change, environment, published) => {
      versionsOf(env).invalidate(id);
      if (published?.rollout) await rolloutOf(env, id).watch(id);
      if (change === "deleted") await hostOf(env, id).wipe({ id, environment });
      // The production object follows latest after every rollback or removal, and after a publish that may change its
      // schedules or its consent (each object woken costs a resident actor; an object never called needs none).
      else if (environment === "production" && (!published || (await schedulesMayMove(env, published)) || (await consentMayMove(env, published)))) await hostOf(env, id).latestMoved({ id, environment });
    },
  };
}

function appAuthOf(env: Env): AppAuthDeps {
  const auth = authOf(env);
  const config = configOf(env);
  return {
    sessionSecret: config.sessionSecret,
    clientSecret: (id, provider) => config.oauthClientSecrets[`${id}:${provider}`],
    verifyBearer: async (request) => ({ sub: (await auth.authenticate(request)).subject, provider: "token" }),
    signIn: { allowInsecure: config.allowPrivateUrls, githubWeb: config.github.webUrl, githubApi: config.github.apiUrl },
  };
}

/** The runtime's Durable Object with its adapters picked here. */
export class ObjectDO extends ObjectDOBase {
  protected deps(): ObjectDeps {
    const env = this.env as Env;
    return {
      registry: registryOf(env),
      loader: env.LOADER,
      limits: configOf(env).limits,
      files: env.FILES,
      services: servicesOf(env),
      outbound: { ...configOf(env).outbound, allowPrivateUrls: configOf(env).allowPrivateUrls },
      quotas: DEFAULT_QUOTAS,
      host: (id) => hostOf(env, id),
      legacy: (environment, id) => legacyObjectOf(env, environment, id),
    };
  }
}

/** One git repository; publishing goes through the same pipeline as every other source. */
export class RepoDO extends RepoDOBase {
  protected deps(): RepoDeps {
    const env = this.env as Env;
    return { pipeline: pipelineOf(env), packs: env.GIT_PACKS };
  }
}

/** A connected repository (GitHub or any git host): its secrets, its deliveries and its jobs, in order. */
export class SourceDO extends SourceDOBase {
  protected deps(): SourceObjectDeps {
    const env = this.env as Env;
    const config = configOf(env);
    return { pipeline: pipelineOf(env), allowPrivateRemotes: config.allowPrivateUrls, retryBaseSeconds: config.retryBaseSeconds, githubTimeoutMs: config.github.timeoutMs };
  }
}

/** Previews outside pushes: listed, removed, reset, expired; the repository that pushed one forgets what it lost. */
const previewServiceOf = (env: Env) =>
  createPreviewService({
    ledger: { list: () => previewsOf(env).list(), get: (ref, id) => previewsOf(env).get(ref, id), expired: (now) => previewsOf(env).expired(now) },
    pipeline: pipelineOf(env),
    stateBytes: (environment, id) => hostOf(env, id).stateBytes({ id, environment }),
    forget: (row: PreviewRow) => (row.source === "git" ? repoOf(env, row.repo).forgetPreview(row.ref, row.gitRef, [row.id]) : sourceOf(env, row.repo).forgetPreview(row.ref, [row.id])),
  });
/** The hub (do.do): `env.DO.get('startup.do')`, `env.DO.auth.verify(token)`, `env.DO.stripe…` from another Worker. */
export class Hub extends HubBase {
  protected deps(): HubDeps {
    const env = this.env as Env;
    const auth = authOf(env);
    return {
      versions: versionsOf(env),
      loader: env.LOADER,
      limits: configOf(env).limits,
      host: (id) => hostOf(env, id),
      services: servicesOf(env)("production"),
      auth: { verify: (token: string) => auth.authenticate(new Request("https://hub.objects.do/", { headers: { authorization: `Bearer ${token}` } })) },
    };
  }
}

function compose(env: Env) {
  const config = configOf(env);
  const { limits } = config;
  const pipeline = pipelineOf(env);
  const configured = parseHostTable(config.hostnames);
  const hosts = createHostTable({ configured, ttlMs: HOST_TABLE_TTL_MS, load: async () => Object.fromEntries((await hostnamesOf(env).list()).map((row) => [row.host, row.target])) });
  const objects = createObjectService(pipeline);
  // Under `npm start`'s supervisor: the versions that froze the runtime are quarantined before anything is answered.
  const intake = config.supervisor.marker ? createSupervisorIntake(objects, quarantinesOf(config.supervisor.quarantines)) : undefined;
  const control = createControlPlane({
    hostnames: { hostnames: () => hostnamesOf(env), configured, changed: () => hosts.invalidate() },
    previews: { previews: previewServiceOf(env), ...(shareSecretOf(env) ? { shareSecret: shareSecretOf(env)! } : {}) },
    auth: authOf(env),
    objects,
    rollouts: createRolloutService({ ...rolloutDepsOf(env), watch: (id) => rolloutOf(env, id).watch(id) }),
    repo: (name) => repoOf(env, name),
    source: (name) => sourceOf(env, name),
    // An RPC stub's type loses the method's generic: the answer is the record kind asked for.
    views: <K extends ObjectRecordKind>(id: string, environment: string, kind: K, limit: number) =>
      hostOf(env, id).views({ id, environment }, kind, limit) as Promise<unknown> as Promise<ObjectRecords[K]>,
    usage: (id, environment, query) => hostOf(env, id).usage({ id, environment }, query),
    runSchedule: async (id, ref, pattern) => {
      const version = await versionsOf(env).resolve(id, ref);
      if (!version.built.schedulePatterns.includes(pattern)) throw new ObjectsError("schedule-not-found", `${id}@${ref} has no schedule ${JSON.stringify(pattern.slice(0, 128))}`);
      const { environment } = version;
      return JSON.parse(unwrap(await hostOf(env, id).runSchedule({ id, environment, hash: version.snapshot.hash, label: `${id}@${ref}`, pattern })).json) as unknown;
    },
    connections: () => connectionsOf(env),
    enqueue: enqueueOn(env),
    ...(config.github.webhookSecret ? { githubAppSecret: config.github.webhookSecret } : {}),
    supervisor: { ...config.supervisor, ...(intake ? { intake } : {}) },
  });
  const runtime = createRuntimeApp({
    services: servicesOf(env),
    host: (id) => hostOf(env, id),
    versions: versionsOf(env),
    loader: env.LOADER,
    limits,
    hosts,
    limiter: (environment, id) => env.LIMITERS.get(env.LIMITERS.idFromName(`${environment}:${id}`)),
    callerOf: callerOf(env),
    platformHosts: config.platformHosts,
    appAuth: appAuthOf(env),
    previewAccess: {
      ...(shareSecretOf(env) ? { shareSecret: shareSecretOf(env)! } : {}),
      covers: async (request, id) => (await principalOf(env)(request))?.scopes.some((pattern) => scopeCovers(pattern, id)) ?? false,
    },
    journal: createCallJournal((environment, id, entries, usage, rollout, minutes) => hostOf(env, id).recordCalls({ id, environment }, entries, usage, rollout, minutes)),
    subjectOf: async (request) => (await principalOf(env)(request))?.subject ?? null,
  });
  return { control, runtime, intake };
}

const composed = new WeakMap<Env, ReturnType<typeof compose>>();

export default {
  async fetch(request, env, ctx) {
    let app = composed.get(env);
    if (!app) composed.set(env, (app = compose(env)));
    if (app.intake?.pending) await app.intake.ready();
    return app.control.handles(request) ? app.control.fetch(request, env, ctx) : app.runtime.fetch(request, env, ctx);
  },

  async queue(batch, env) {
    await consumeJobs(batch.messages, {
      runner: (repo) => sourceOf(env, repo),
      retryBaseSeconds: configOf(env).retryBaseSeconds,
      deadLetters: batch.queue.endsWith("-dlq"),
    });
  },

  async scheduled(_, env) {
    const names = await connectionsOf(env).list();
    await reconcileAll(names, (name) => sourceOf(env, name).reconcileJobs(), enqueueOn(env));
    const expired = await previewServiceOf(env).expire(Date.now());
    if (expired.length > 0) console.log(`previews expired: ${expired.map(({ id, ref }) => `${id}@${ref}`).join(", ")}`);
  },
} satisfies ExportedHandler<Env, Job>;
