// Composition root of the one deployable Worker: builds adapters from env and mounts the control plane and runtime.
import {
  ConnectionsDO,
  consumeJobs,
  HostnamesDO,
  createAuthenticator,
  createControlPlane,
  createObjectService,
  reconcileAll,
  RepoDOBase,
  SourceDOBase,
  type PipelineDeps,
  type RepoDeps,
  type SourceObjectDeps,
} from "./control-plane/index.ts";
import type { Job } from "./schemas/index.ts";
import { createRegistry, DEADLINES_MS, type Registry } from "./registry/index.ts";
import { doObjectIndex, doRefStore, ObjectIndexDO, r2BlobStore, RefsDO } from "./registry/store/index.ts";
import {
  createCallJournal,
  createPlatformServices,
  createHostTable,
  createRuntimeApp,
  createVersionCache,
  DEFAULT_QUOTAS,
  HubBase,
  type HubDeps,
  LimiterDO,
  limitsFrom,
  ObjectDOBase,
  parseHostTable,
  sandboxOptions,
  trialLoad,
  type AppAuthDeps,
  type ObjectDeps,
  type VersionCache,
} from "./runtime/index.ts";

export { ConnectionsDO, HostnamesDO, LimiterDO, ObjectIndexDO, RefsDO };

function registryOf(env: Env): Registry {
  return createRegistry({ blobs: r2BlobStore(env.SNAPSHOTS), refs: doRefStore(env.REFS), index: doObjectIndex(env.INDEX), now: () => new Date() });
}

// Objects are keyed by environment and id: production refs share state, a preview or branch has its own.
const objectName = (environment: string, id: string) => `${environment}:${id}`;
const objectStub = (env: Env, environment: string, id: string) =>
  env.OBJECTS.get(env.OBJECTS.idFromName(objectName(environment, id))) as unknown as DurableObjectStub<ObjectDOBase>;

// The Worker's cache of resolved versions, one per isolate: a publish through this isolate is seen at once by its
// calls, other isolates' within the resolve TTL. Each ObjectDO keeps its own (object-do.ts), invalidated when its
// object's latest moves (syncSchedules) and otherwise trusted for the same TTL.
let versions: VersionCache | undefined;
const versionsOf = (env: Env) => (versions ??= createVersionCache({ registry: registryOf(env), ttlMs: limitsFrom(env).resolveTtlMs }));

/** The runtime's ports as the control plane sees them: trial loads, and telling the runtime that refs moved. */
function pipelineOf(env: Env): PipelineDeps {
  const limits = limitsFrom(env);
  return {
    registry: registryOf(env),
    blobs: r2BlobStore(env.SNAPSHOTS),
    trialLoad: (definition, hash) => trialLoad(env.LOADER, { hash, definition, provenance: { source: "api", at: "" } }, sandboxOptions(limits)),
    refsChanged: async (id, change, environment) => {
      versionsOf(env).invalidate(id);
      if (change === "deleted") await objectStub(env, environment, id).wipe();
      // Schedules follow latest: the production object re-reads them after every publish, rollback or removal.
      else if (environment === "production") await objectStub(env, environment, id).syncSchedules({ id, environment });
    },
  };
}

function jsonSecrets(text: string | undefined): Record<string, string> {
  try {
    return JSON.parse(text ?? "{}") as Record<string, string>;
  } catch {
    return {};
  }
}

const secretsOf = (env: Env) => jsonSecrets(env.OUTBOUND_SECRETS);

function appAuthOf(env: Env): AppAuthDeps {
  const auth = authOf(env);
  const clientSecrets = jsonSecrets(env.OAUTH_CLIENT_SECRETS);
  return {
    sessionSecret: env.SESSION_SECRET,
    clientSecret: (id, provider) => clientSecrets[`${id}:${provider}`],
    verifyBearer: async (request) => ({ sub: (await auth.authenticate(request)).subject, provider: "token" }),
    signIn: { allowInsecure: env.ALLOW_PRIVATE_URLS === "true", githubWeb: env.GITHUB_WEB_URL, githubApi: env.GITHUB_API_URL },
  };
}

function stripeConfig(env: Env) {
  if (!env.STRIPE_API_URL) return { ...(env.STRIPE_API_KEY ? { apiKey: env.STRIPE_API_KEY } : {}) };
  const url = new URL(env.STRIPE_API_URL);
  return { ...(env.STRIPE_API_KEY ? { apiKey: env.STRIPE_API_KEY } : {}), host: url.hostname, port: Number(url.port || (url.protocol === "http:" ? 80 : 443)), protocol: url.protocol.slice(0, -1) as "http" | "https" };
}

// One set of services per isolate: clients are reused across calls.
let services: ((environment: string) => Record<string, object>) | undefined;
const servicesOf = (env: Env) =>
  (services ??= createPlatformServices({
    ai: { ...(env.AI ? { binding: env.AI } : {}), ...(env.AI_BASE_URL ? { baseUrl: env.AI_BASE_URL } : {}), ...(env.AI_API_KEY ? { apiKey: env.AI_API_KEY } : {}), ...(env.AI_MODEL ? { model: env.AI_MODEL } : {}) },
    stripe: stripeConfig(env),
    github: { ...(env.GITHUB_TOKEN ? { token: env.GITHUB_TOKEN } : {}), ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) },
    // The binding's stub is wrapped in a plain object: `$` reaches only these two methods of it.
    ...(env.ESBUILD ? { esbuild: { transform: (code: string, options?: object) => env.ESBUILD!.transform(code, options), build: (input: object) => env.ESBUILD!.build(input) } } : {}),
  }));

/** The runtime's Durable Object with its adapters picked here. */
export class ObjectDO extends ObjectDOBase {
  protected deps(): ObjectDeps {
    const env = this.env as Env;
    return {
      registry: registryOf(env),
      loader: env.LOADER,
      limits: limitsFrom(env),
      files: env.FILES,
      services: servicesOf(env),
      outbound: { mode: env.OUTBOUND_MODE === "deliver" ? "deliver" : "outbox", secrets: secretsOf(env), allowPrivateUrls: env.ALLOW_PRIVATE_URLS === "true" },
      quotas: DEFAULT_QUOTAS,
      object: (environment, id) => objectStub(env, environment, id),
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
    return { pipeline: pipelineOf(env), allowPrivateRemotes: env.ALLOW_PRIVATE_URLS === "true", retryBaseSeconds: retryBaseSecondsOf(env), githubTimeoutMs: Number(env.GITHUB_TIMEOUT_MS) > 0 ? Number(env.GITHUB_TIMEOUT_MS) : DEADLINES_MS.github };
  }
}

const retryBaseSecondsOf = (env: Env) => (Number.isFinite(Number(env.JOB_RETRY_DELAY_SECONDS)) ? Number(env.JOB_RETRY_DELAY_SECONDS) : 5);
const sourceOf = (env: Env, name: string) => env.SOURCES.get(env.SOURCES.idFromName(name.toLowerCase()));
/** Who a per-caller rate limit counts: a verified token's subject, else the client address Cloudflare reports. */
const callerOf = (env: Env) => {
  const auth = authOf(env);
  return async (request: Request) => {
    if (request.headers.has("authorization")) {
      try {
        return `sub:${(await auth.authenticate(request)).subject}`;
      } catch {
        // An invalid token identifies nobody: the caller is counted by address.
      }
    }
    return `ip:${request.headers.get("cf-connecting-ip") ?? "unknown"}`;
  };
};

const hostnamesOf = (env: Env) => env.HOSTS.get(env.HOSTS.idFromName("all"));
/** How long an isolate trusts its copy of the hostname table: a mapping made elsewhere shows within this. */
const HOST_TABLE_TTL_MS = 5000;
const connectionsOf = (env: Env) => env.CONNECTIONS.get(env.CONNECTIONS.idFromName("all"));
const enqueueOn = (env: Env) => async (jobs: Job[]) => {
  if (jobs.length > 0) await env.JOBS.sendBatch(jobs.map((body) => ({ body })));
};

const authOf = (env: Env) =>
  createAuthenticator({
    ...(env.JWT_SECRET ? { secret: env.JWT_SECRET } : {}),
    ...(env.JWKS_URL ? { jwksUrl: env.JWKS_URL } : {}),
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
  });

/** The hub (do.do): `env.DO.get('startup.do')`, `env.DO.auth.verify(token)`, `env.DO.stripe…` from another Worker. */
export class Hub extends HubBase {
  protected deps(): HubDeps {
    const env = this.env as Env;
    const auth = authOf(env);
    return {
      versions: versionsOf(env),
      loader: env.LOADER,
      limits: limitsFrom(env),
      object: (environment, id) => objectStub(env, environment, id),
      services: servicesOf(env)("production"),
      auth: { verify: (token: string) => auth.authenticate(new Request("https://hub.objects.do/", { headers: { authorization: `Bearer ${token}` } })) },
    };
  }
}

function compose(env: Env) {
  const limits = limitsFrom(env);
  const pipeline = pipelineOf(env);
  const configured = parseHostTable(env.HOSTNAMES);
  const hosts = createHostTable({ configured, ttlMs: HOST_TABLE_TTL_MS, load: async () => Object.fromEntries((await hostnamesOf(env).list()).map((row) => [row.host, row.target])) });
  const control = createControlPlane({
    hostnames: { hostnames: () => hostnamesOf(env), configured, changed: () => hosts.invalidate() },
    auth: authOf(env),
    objects: createObjectService(pipeline),
    repo: (name) => env.REPOS.get(env.REPOS.idFromName(name)),
    source: (name) => sourceOf(env, name),
    views: (id, environment, kind, limit) => objectStub(env, environment, id).views({ id, environment }, kind, limit),
    connections: () => connectionsOf(env),
    enqueue: enqueueOn(env),
    ...(env.GITHUB_WEBHOOK_SECRET ? { githubAppSecret: env.GITHUB_WEBHOOK_SECRET } : {}),
    supervisor: { ...(env.SUPERVISOR_MARKER ? { marker: env.SUPERVISOR_MARKER } : {}), ...(env.SUPERVISOR_STATE ? { state: jsonSecrets(env.SUPERVISOR_STATE) } : {}) },
  });
  const runtime = createRuntimeApp({
    services: servicesOf(env),
    object: (environment, id) => objectStub(env, environment, id),
    versions: versionsOf(env),
    loader: env.LOADER,
    limits,
    hosts,
    limiter: (environment, id) => env.LIMITERS.get(env.LIMITERS.idFromName(`${environment}:${id}`)),
    callerOf: callerOf(env),
    platformHosts: (env.PLATFORM_HOSTS ?? "").split(",").map((host) => host.trim().toLowerCase()).filter(Boolean),
    appAuth: appAuthOf(env),
    journal: createCallJournal((environment, id, entries) => objectStub(env, environment, id).recordCalls({ id, environment }, entries)),
  });
  return { control, runtime };
}

const composed = new WeakMap<Env, ReturnType<typeof compose>>();

export default {
  fetch(request, env, ctx) {
    let app = composed.get(env);
    if (!app) composed.set(env, (app = compose(env)));
    return app.control.handles(request) ? app.control.fetch(request, env, ctx) : app.runtime.fetch(request, env, ctx);
  },

  async queue(batch, env) {
    await consumeJobs(batch.messages, {
      runner: (repo) => sourceOf(env, repo),
      retryBaseSeconds: retryBaseSecondsOf(env),
      deadLetters: batch.queue.endsWith("-dlq"),
    });
  },

  async scheduled(_, env) {
    const names = await connectionsOf(env).list();
    await reconcileAll(names, (name) => sourceOf(env, name).reconcileJobs(), enqueueOn(env));
  },
} satisfies ExportedHandler<Env, Job>;
