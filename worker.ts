// Composition root of the one deployable Worker: builds adapters from env and mounts the control plane and runtime.
import { createAuthenticator, createControlPlane, createObjectService } from "./control-plane/index.ts";
import { createRegistry, type Registry } from "./registry/index.ts";
import { doRefStore, r2BlobStore, RefsDO } from "./registry/store/index.ts";
import { createRuntimeApp, createVersionCache, limitsFrom, ObjectDOBase, parseHostTable, sandboxOptions, trialLoad, type ObjectDeps } from "./runtime/index.ts";

export { RefsDO };

function registryOf(env: Env): Registry {
  return createRegistry({ blobs: r2BlobStore(env.SNAPSHOTS), refs: doRefStore(env.REFS), now: () => new Date() });
}

/** The runtime's Durable Object with its adapters picked here. */
export class ObjectDO extends ObjectDOBase {
  protected deps(): ObjectDeps {
    const env = this.env as Env;
    return { registry: registryOf(env), loader: env.LOADER, limits: limitsFrom(env) };
  }
}

// Objects are keyed by environment and id: production refs share state, a preview has its own.
const objectName = (environment: string, id: string) => `${environment}:${id}`;

function compose(env: Env) {
  const limits = limitsFrom(env);
  const registry = registryOf(env);
  const versions = createVersionCache({ registry, ttlMs: limits.resolveTtlMs });
  const object = (environment: string, id: string) =>
    env.OBJECTS.get(env.OBJECTS.idFromName(objectName(environment, id))) as unknown as DurableObjectStub<ObjectDOBase>;
  const control = createControlPlane({
    auth: createAuthenticator({
      ...(env.JWT_SECRET ? { secret: env.JWT_SECRET } : {}),
      ...(env.JWKS_URL ? { jwksUrl: env.JWKS_URL } : {}),
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
    }),
    objects: createObjectService({
      registry,
      trialLoad: (definition, hash) => trialLoad(env.LOADER, { hash, definition, provenance: { source: "api", at: "" } }, sandboxOptions(limits)),
      // This isolate forgets the old resolution at once; other isolates within the resolve TTL.
      refsChanged: async (id, change) => {
        versions.invalidate(id);
        if (change === "deleted") await object("production", id).wipe();
      },
    }),
  });
  const runtime = createRuntimeApp({ object, versions, loader: env.LOADER, limits, hosts: parseHostTable(env.HOSTNAMES) });
  return { control, runtime };
}

const composed = new WeakMap<Env, ReturnType<typeof compose>>();

export default {
  fetch(request, env, ctx) {
    let app = composed.get(env);
    if (!app) composed.set(env, (app = compose(env)));
    return app.control.handles(request) ? app.control.fetch(request, env, ctx) : app.runtime.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
