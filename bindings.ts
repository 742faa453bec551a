// The composition root's half that turns bindings into adapters: each Durable Object stub, store and client is made
// from env here, one way, for worker.ts to wire into the planes.
import { createAuthenticator, type PublishedMove } from "./control-plane/index.ts";
import type { Job } from "./schemas/index.ts";
import { configOf } from "./config.ts";
import { createRegistry, type Registry } from "./registry/index.ts";
import { doObjectIndex, doRefStore, r2BlobStore } from "./registry/store/index.ts";
import { createPlatformServices, createVersionCache, type HostRpc, type ObjectDOBase, type VersionCache } from "./runtime/index.ts";

export function registryOf(env: Env): Registry {
  return createRegistry({ blobs: r2BlobStore(env.SNAPSHOTS), refs: doRefStore({ shards: env.REF_SHARDS, legacy: env.REFS, index: env.INDEX }), index: doObjectIndex(env.INDEX), now: () => new Date() });
}

// One host object per id holds every environment's state in facets of its own. It is named as production's object
// was when each environment had one (`<environment>:<id>`), so production's state is where it always was.
const objectName = (environment: string, id: string) => `${environment}:${id}`;
export const hostOf = (env: Env, id: string): HostRpc => hostStub(env.OBJECTS.get(env.OBJECTS.idFromName(objectName("production", id))));
/** An environment's object of the earlier layout, read once by the host when it takes that environment over. */
export const legacyObjectOf = (env: Env, environment: string, id: string): HostRpc => hostStub(env.OBJECTS.get(env.OBJECTS.idFromName(objectName(environment, id))));
// The host class's stub, as its callers type it: a change of the class that breaks their view fails to compile here.
const hostStub = (stub: DurableObjectStub<ObjectDOBase>): HostRpc => stub;

// The Worker's cache of resolved versions, one per isolate: a publish through this isolate is seen at once by its
// calls, other isolates' within the resolve TTL. Each ObjectDO keeps its own (object-do.ts), invalidated when a move
// of latest that may change its schedules or its consent wakes it (latestMoved), and otherwise trusted for the same TTL.
let versions: VersionCache | undefined;
export const versionsOf = (env: Env) => (versions ??= createVersionCache({ registry: registryOf(env), ttlMs: configOf(env).limits.resolveTtlMs }));

/** A publish moves schedules when the new definition has some or the `latest` it replaced had some (cached by hash). */
export const schedulesMayMove = async (env: Env, { from, scheduled }: PublishedMove) =>
  scheduled || (from !== undefined && (await versionsOf(env).byHash(from)).built.schedulePatterns.length > 0);

// Whether a publish changes who may bubble events into the object: its ObjectDO trusts its cached refs otherwise.
export const consentMayMove = async (env: Env, { from, accepts }: PublishedMove) =>
  from !== undefined && [...((await versionsOf(env).byHash(from)).snapshot.definition.accepts ?? [])].sort().join(" ") !== [...accepts].sort().join(" ");

// The platform's one list of previews (a stub belongs to one request: made anew for each use).
export const previewsOf = (env: Env) => env.PREVIEWS.get(env.PREVIEWS.idFromName("all"));

// One rollout timer per object that ever had a rollout.
export const rolloutOf = (env: Env, id: string) => env.ROLLOUTS.get(env.ROLLOUTS.idFromName(id));

// One set of services per isolate: clients are reused across calls.
let services: ((environment: string) => Record<string, object>) | undefined;
export const servicesOf = (env: Env) =>
  (services ??= createPlatformServices({
    ai: { ...(env.AI ? { binding: env.AI } : {}), ...configOf(env).ai },
    stripe: configOf(env).stripe,
    github: { ...(configOf(env).github.token ? { token: configOf(env).github.token } : {}), baseUrl: configOf(env).github.apiUrl },
    // The binding's stub is wrapped in a plain object: `$` reaches only these two methods of it.
    ...(env.ESBUILD ? { esbuild: { transform: (code: string, options?: object) => env.ESBUILD!.transform(code, options), build: (input: object) => env.ESBUILD!.build(input) } } : {}),
  }));

export const sourceOf = (env: Env, name: string) => env.SOURCES.get(env.SOURCES.idFromName(name.toLowerCase()));
export const repoOf = (env: Env, name: string) => env.REPOS.get(env.REPOS.idFromName(name));

/** The principal of a request's bearer token, or null when it has none or it does not verify. */
export const principalOf = (env: Env) => async (request: Request) => {
  if (!request.headers.has("authorization")) return null;
  try {
    return await authOf(env).authenticate(request);
  } catch {
    // An invalid token identifies nobody.
    return null;
  }
};

/** Who a per-caller rate limit counts: a verified token's subject, else the client address Cloudflare reports. */
export const callerOf = (env: Env) => async (request: Request) => {
  const principal = await principalOf(env)(request);
  return principal ? `sub:${principal.subject}` : `ip:${request.headers.get("cf-connecting-ip") ?? "unknown"}`;
};

export const hostnamesOf = (env: Env) => env.HOSTS.get(env.HOSTS.idFromName("all"));
/** How long an isolate trusts its copy of the hostname table: a mapping made elsewhere shows within this. */
export const HOST_TABLE_TTL_MS = 5000;
export const connectionsOf = (env: Env) => env.CONNECTIONS.get(env.CONNECTIONS.idFromName("all"));
export const enqueueOn = (env: Env) => async (jobs: Job[]) => {
  if (jobs.length > 0) await env.JOBS.sendBatch(jobs.map((body) => ({ body })));
};

export const authOf = (env: Env) => createAuthenticator(configOf(env).auth);
/** What share links of protected previews are signed with. */
export const shareSecretOf = (env: Env) => configOf(env).sessionSecret ?? configOf(env).auth.secret;
