// Composition root of the one deployable Worker: builds adapters from env and mounts the control plane and runtime.
import { createAuthenticator, createControlPlane, createObjectService } from "./control-plane/index.ts";
import { createRegistry, type Registry } from "./registry/index.ts";
import { doRefStore, r2BlobStore, RefsDO } from "./registry/store/index.ts";
import { createRuntimeApp, limitsFrom, ObjectDOBase, parseHostTable, trialLoad, type ObjectDeps } from "./runtime/index.ts";

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
      trialLoad: (definition, hash) => trialLoad(env.LOADER, { hash, definition, provenance: { source: "api", at: "" } }, { cpuMs: limits.cpuMs }),
      // Best effort: a missed notification is covered by the runtime's short resolve TTL.
      refsChanged: async (id, change) => {
        try {
          const stub = object("production", id);
          if (change === "deleted") await stub.wipe();
          else await stub.refsChanged();
        } catch (error) {
          console.warn(`could not notify the runtime about ${id}:`, error);
        }
      },
    }),
  });
  const runtime = createRuntimeApp({ object, hosts: parseHostTable(env.HOSTNAMES) });
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
