// The runtime's HTTP surface: RPC, /api/*, /__schema and site pages of `/<id>[@ref]/…` (or a mapped host).
import { Hono, type Context } from "hono";
import { environmentOf, ObjectsError, parseJsonText, parseRef, problemResponse, readLimitedText, type ObjectPath } from "../registry/index.ts";
import { RpcBodySchema } from "../schemas/index.ts";
import type { Failure, ObjectDOBase, Reply, Target } from "./object-do.ts";
import { routeRequest, type HostTable } from "./route.ts";

export const MAX_RPC_BODY_BYTES = 1_048_576;

export interface RuntimeDeps {
  /** The ObjectDO of one object in one environment. */
  object(environment: string, id: string): DurableObjectStub<ObjectDOBase>;
  hosts: HostTable;
}

type Env = { Variables: { target: Target } };

function unwrap<T>(reply: Reply<T>): T {
  if (reply.ok) return reply.value;
  const { kind, code, message, candidates }: Failure = reply.failure;
  throw new ObjectsError(kind, code, message, candidates ? { candidates } : {});
}

const resultResponse = (json: string, hash: string) =>
  new Response(`{"result":${json}}\n`, { headers: { "content-type": "application/json", "x-objects-hash": hash } });

async function readJson(c: Context, what: string): Promise<unknown> {
  const text = await readLimitedText(c.req.raw, MAX_RPC_BODY_BYTES, what);
  return text.trim() === "" ? undefined : parseJsonText(text, what);
}

/** Params of `/api/<ns>/<method>`: a JSON array is the params, any other JSON value is the one param, GET has none. */
function apiParams(body: unknown): unknown[] {
  if (body === undefined) return [];
  return Array.isArray(body) ? body : [body];
}

/** The runtime app; routing is pure (`routeRequest`), the ObjectDO does the rest. */
export function createRuntimeApp({ object, hosts }: RuntimeDeps) {
  const routed = new WeakMap<Request, ObjectPath | null>();
  const route = (request: Request) => {
    if (!routed.has(request)) routed.set(request, routeRequest(new URL(request.url), hosts));
    return routed.get(request)!;
  };
  const app = new Hono<Env>({ getPath: (request) => route(request)?.rest ?? "/__unrouted" });
  const stub = (c: Context<Env>) => object(c.var.target.environment, c.var.target.id);

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
    const { json, hash } = unwrap(await stub(c).invoke(c.var.target, parsed.data.method, parsed.data.params ?? []));
    return resultResponse(json, hash);
  });

  app.on(["GET", "POST"], "/api/*", async (c) => {
    const method = c.req.path.slice("/api/".length).split("/").filter(Boolean).join(".");
    const params = c.req.method === "GET" ? [] : apiParams(await readJson(c, "the API body"));
    const { json, hash } = unwrap(await stub(c).invoke(c.var.target, method, params));
    return resultResponse(json, hash);
  });

  app.get("/__schema", async (c) => new Response(`${JSON.stringify(unwrap(await stub(c).schema(c.var.target)))}\n`, { headers: { "content-type": "application/json" } }));

  app.get("*", async (c) => {
    const source = unwrap(await stub(c).page(c.var.target, c.req.path === "" ? "/" : c.req.path.replace(/(.)\/$/, "$1")));
    if (source === null) throw new ObjectsError("not-found", "page-not-found", `${c.var.target.id} has no page ${c.req.path}`);
    return c.body(source, 200, { "content-type": "text/markdown; charset=utf-8" });
  });

  app.all("*", () => {
    throw new ObjectsError("method-not-allowed", "method-not-allowed", "this path answers other HTTP methods");
  });
  app.onError((error) => problemResponse(error));
  return app;
}
