// The runtime's HTTP surface: RPC, /api/*, /__schema and site pages of `/<id>[@ref]/…` (or a mapped host).
import { Hono, type Context } from "hono";
import { environmentOf, ObjectsError, parseJsonText, parseRef, problemResponse, readLimitedText, type ObjectPath } from "../registry/index.ts";
import { RpcBodySchema } from "../schemas/index.ts";
import { dispatchCall, type DispatchDeps, type Target } from "./dispatch.ts";
import type { Reply } from "./executor/invoke.ts";
import { routeRequest, type HostTable } from "./route.ts";
import { schemaView } from "./schema-view.ts";
import type { VersionCache } from "./version-cache.ts";

export const MAX_RPC_BODY_BYTES = 1_048_576;

export interface RuntimeDeps extends DispatchDeps {
  versions: VersionCache;
  hosts: HostTable;
}

type Env = { Variables: { target: Target } };

function unwrap<T>(reply: Reply<T>): T {
  if (reply.ok) return reply.value;
  const { kind, code, message, candidates } = reply.failure;
  throw new ObjectsError(kind, code, message, candidates ? { candidates } : {});
}

const json = (body: string, headers: Record<string, string> = {}) => new Response(`${body}\n`, { headers: { "content-type": "application/json", ...headers } });

async function readJson(c: Context, what: string): Promise<unknown> {
  const text = await readLimitedText(c.req.raw, MAX_RPC_BODY_BYTES, what);
  return text.trim() === "" ? undefined : parseJsonText(text, what);
}

/** Params of `/api/<ns>/<method>`: a JSON array is the params, any other JSON value is the one param, GET has none. */
function apiParams(body: unknown): unknown[] {
  if (body === undefined) return [];
  return Array.isArray(body) ? body : [body];
}

/** The runtime app; routing is pure (`routeRequest`), versions come from the isolate's cache, calls from `dispatchCall`. */
export function createRuntimeApp(deps: RuntimeDeps) {
  const { versions, hosts } = deps;
  const routed = new WeakMap<Request, ObjectPath | null>();
  const route = (request: Request) => {
    if (!routed.has(request)) routed.set(request, routeRequest(new URL(request.url), hosts));
    return routed.get(request)!;
  };
  const app = new Hono<Env>({ getPath: (request) => route(request)?.rest ?? "/__unrouted" });
  const version = (c: Context<Env>) => versions.resolve(c.var.target.id, c.var.target.ref);
  const call = async (c: Context<Env>, method: string, params: unknown[]) => {
    const resolved = await version(c);
    const { json: result } = unwrap(await dispatchCall(deps, c.var.target, resolved, method, params));
    return json(`{"result":${result}}`, { "x-objects-hash": resolved.snapshot.hash });
  };

  app.use(async (c, next) => {
    const path = route(c.req.raw);
    if (!path) throw new ObjectsError("not-found", "not-found", "no object at this path: use /<id>[@<ref>]/…");
    const ref = path.ref ?? "latest";
    c.set("target", { id: path.id, ref, environment: environmentOf(parseRef(ref)) });
    await next();
  });

  app.post("/rpc", async (c) => {
    const parsed = RpcBodySchema.safeParse(await readJson(c, "the RPC body"));
    if (!parsed.success) throw new ObjectsError("bad-request", "rpc-body-invalid", 'an RPC body is {"method": "name", "params": [...]}');
    return call(c, parsed.data.method, parsed.data.params ?? []);
  });

  app.on(["GET", "POST"], "/api/*", async (c) => {
    const method = c.req.path.slice("/api/".length).split("/").filter(Boolean).join(".");
    return call(c, method, c.req.method === "GET" ? [] : apiParams(await readJson(c, "the API body")));
  });

  app.get("/__schema", async (c) => {
    const resolved = await version(c);
    return json(JSON.stringify(schemaView(resolved.snapshot, resolved.versions)));
  });

  app.get("*", async (c) => {
    const page = c.req.path === "" ? "/" : c.req.path.replace(/(.)\/$/, "$1");
    const source = (await version(c)).snapshot.definition.site?.[page];
    if (source === undefined) throw new ObjectsError("not-found", "page-not-found", `${c.var.target.id} has no page ${c.req.path}`);
    return c.body(source, 200, { "content-type": "text/markdown; charset=utf-8" });
  });

  app.all("*", () => {
    throw new ObjectsError("method-not-allowed", "method-not-allowed", "this path answers other HTTP methods");
  });
  app.onError((error) => problemResponse(error));
  return app;
}
