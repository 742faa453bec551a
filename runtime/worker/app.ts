// The runtime's HTTP surface: RPC, /api/*, /__schema and site pages of `/<id>[@ref]/…` (or a mapped host).
import { Hono, type Context } from "hono";
import { failed, ObjectsError, parseJsonText, problemResponse, readLimitedText, requestUrl, surfaceMounter, SURFACES, unwrap, type ObjectPath } from "../../core/index.ts";
import { RpcBodySchema, SHARE_PARAM, type DiffResponse } from "../../schemas/index.ts";
import { dispatchCall, type Address, type DispatchDeps, type RuntimeEnv, type Target } from "./dispatch.ts";
import { isPlatformHost, type HostTableCache } from "./host-table.ts";
import { landingLinks, landingPage } from "./landing.ts";
import { routeRequest, type RoutedPath } from "./route.ts";
import type { RuntimeHandler } from "./routes/mount.ts";
import { runAgent } from "./agent.ts";
import { handleMcp } from "./mcp.ts";
import type { AiService, ChatMessage } from "../services/ai.ts";
import { admit, isRateLimited, type AdmissionDeps } from "./admission.ts";
import { appUser, mountSignIn, signInRequired, type AppAuthDeps, type ObjectBase } from "./routes/app-auth.ts";
import type { SessionUser } from "./app-auth/session.ts";
import { notFoundPage, servePage, type PageRequest } from "./pages/serve-page.ts";
import { refuseQuarantined, refuseRetired } from "./quarantine.ts";
import { schemaView } from "./schema-view.ts";
import { diffView } from "./diff-view.ts";
import type { ResolvedVersion, VersionCache } from "../executor/version-cache.ts";
import type { CallJournal } from "./call-journal.ts";
import { checkPreviewAccess, shareRedirect, type PreviewAccessDeps } from "./preview-access.ts";
import { isHeadRef, resolveRequested, withVersionHeader } from "./version-pin.ts";
import { callerOf } from "./caller.ts";
import { createRolloutSplit } from "./rollout-dispatch.ts";

export const MAX_RPC_BODY_BYTES = 1_048_576;

export interface RuntimeDeps extends DispatchDeps, AdmissionDeps {
  versions: VersionCache;
  hosts: HostTableCache;
  /** Hosts that serve objects by path (`/<id>@<ref>/…`); empty: every host does. Other hosts must be mapped. */
  platformHosts: string[];
  /** Sign-in and sessions of app pages. */
  appAuth: AppAuthDeps;
  /** The services of an environment (the agent talks through `ai`). */
  services(environment: string): Record<string, object>;
  /** Logs RPC and /api calls in their object's call log, in batches sent after the response. */
  journal?: CallJournal;
  /** The subject of a request's bearer token when it verifies, else null: a rollout keeps such a caller on one side. */
  subjectOf?(request: Request): Promise<string | null>;
  /** Who may open a protected preview. */
  previewAccess: PreviewAccessDeps;
}



const json = (body: string, headers: Record<string, string> = {}) => new Response(`${body}\n`, { headers: { "content-type": "application/json", ...headers } });

async function readJson(request: Request, what: string): Promise<unknown> {
  const text = await readLimitedText(request, MAX_RPC_BODY_BYTES, what);
  return text.trim() === "" ? undefined : parseJsonText(text, what);
}

/** Params of `/api/<ns>/<method>`: a JSON array is the params, any other JSON value is the one param, GET has none. */
function apiParams(body: unknown): unknown[] {
  if (body === undefined) return [];
  return Array.isArray(body) ? body : [body];
}

const addressOf = (path: ObjectPath): Address => ({ id: path.id, ref: path.ref ?? "latest" });

type WaitUntil = Pick<ExecutionContext, "waitUntil">;

/** Hono's execution context, or none (Hono throws when a request came without one: tests calling fetch directly). */
function executionContext(c: Context): WaitUntil | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}

const wantsHtml = (request: Request) => (request.headers.get("accept") ?? "").includes("text/html");

/** A page request: its path under the area, its query, and the prefix its links need (none on a mapped host). */
const objectBase = (routed: RoutedPath): ObjectBase => ({ id: routed.id, viaHost: routed.viaHost === true, base: routed.viaHost ? "" : `/${routed.id}@${encodeURIComponent(routed.ref ?? "latest")}` });

function pageRequest(request: Request, routed: RoutedPath, area: "site" | "app", user?: SessionUser): PageRequest {
  const url = new URL(request.url);
  const path = area === "app" ? routed.rest.slice("/app".length) : routed.rest;
  const { base } = objectBase(routed);
  return { area, path: (path === "" ? "/" : path).replace(/(.)\/$/, "$1"), query: Object.fromEntries(url.searchParams), base, ...(user ? { user } : {}) };
}

/**
 * The runtime app. `POST …/rpc`, the hottest path, is answered before Hono: building Hono's context cost about 8% of
 * its throughput (npm run bench). Every other surface is routed by Hono on the path under the object.
 */
/** The platform's root: a page for browsers, links for API clients. */
function landing(request: Request): Response {
  const origin = new URL(request.url).origin;
  if (!(request.headers.get("accept") ?? "").includes("text/html")) return Response.json(landingLinks(origin));
  return new Response(landingPage(origin), { headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'" } });
}

export function createRuntimeApp(deps: RuntimeDeps) {
  const { versions, hosts, platformHosts } = deps;
  // Filled by fetch() (the host table may need loading) before anything routes on it.
  const routed = new WeakMap<Request, RoutedPath | null>();
  const route = (request: Request) => routed.get(request) ?? null;
  // The content hash that answered each request, for its Objects-Version response header.
  const answered = new WeakMap<Request, string>();
  // Requests the call log noted (RPC and /api calls): every other request a rollout split is counted on its own.
  const noted = new WeakSet<Request>();

  const split = createRolloutSplit(versions, deps.subjectOf);

  /**
   * The version a request names (the canary's, for its share of a rollout) and the environment whose state it runs on,
   * once admitted under the object's rate limits. The environment comes from the resolution, never from the ref's
   * syntax alone: a hash published only to a branch runs on that branch's state.
   */
  async function admitted(address: Address, request: Request, call?: { method: string; refused: (target: Target, error: ObjectsError) => void }): Promise<{ target: Target; resolved: ResolvedVersion }> {
    const requested = await resolveRequested(versions, address, request);
    const resolved = requested.exact ? requested.version : await split.version(address.id, requested.version, request, call?.method);
    // The environment's own ref, neither pinned nor split to a canary: the version it serves (its facet runs it).
    const head = !requested.exact && resolved === requested.version && isHeadRef(address.ref);
    const target: Target = { ...address, environment: requested.environment, ...(head ? { head } : {}) };
    answered.set(request, resolved.snapshot.hash);
    try {
      refuseQuarantined(target.id, `${target.id}@${target.ref}`, resolved);
    } catch (error) {
      call?.refused(target, error as ObjectsError);
      throw error;
    }
    refuseRetired(target.id, `${target.id}@${target.ref}`, resolved, requested.exact);
    if (target.environment !== "production") await checkPreviewAccess(deps.previewAccess, request, target, resolved);
    if (isRateLimited(resolved)) await admit(deps, target, resolved, request);
    return { target, resolved };
  }

  /** `ctx` lets the call journal send its batch after the response. */
  async function call(request: Request, address: Address, method: string, params: unknown[], ctx: WaitUntil | undefined): Promise<Response> {
    const at = Date.now();
    // A refused quarantined version is a call its owner sees in __calls (and objects logs, the dashboard).
    const refused = (target: Target, error: ObjectsError) => deps.journal?.note(target.environment, target.id, { at, method, ref: target.ref, ok: false, ms: 0, detail: error.message }, ctx);
    const { target, resolved } = await admitted(address, request, { method, refused });
    const started = performance.now();
    const reply = await dispatchCall(deps, target, resolved, method, params).catch(failed);
    const arm = split.armOf(request);
    noted.add(request);
    const entry = { at, method, ref: target.ref, ok: reply.ok, ms: performance.now() - started, detail: reply.ok ? null : reply.failure.message, hash: resolved.snapshot.hash, caller: callerOf(request), ...(arm ? { rollout: arm } : {}) };
    deps.journal?.note(target.environment, target.id, entry, ctx);
    const { json: result } = unwrap(reply);
    return json(`{"result":${result}}`, { "x-objects-hash": resolved.snapshot.hash });
  }

  async function rpc(request: Request, address: Address, ctx: WaitUntil | undefined): Promise<Response> {
    const parsed = RpcBodySchema.safeParse(await readJson(request, "the RPC body"));
    if (!parsed.success) throw new ObjectsError("rpc-body-invalid", 'an RPC body is {"method": "name", "params": [...]}');
    return call(request, address, parsed.data.method, parsed.data.params ?? [], ctx);
  }

  const app = new Hono<RuntimeEnv>({ getPath: (request) => route(request)?.rest ?? "/__unrouted" });
  const mount = surfaceMounter<"runtime", RuntimeHandler>(app, "runtime");
  const version = (c: Context<RuntimeEnv>) => admitted(c.var.address, c.req.raw);

  app.use(async (c, next) => {
    const path = route(c.req.raw);
    if (!path) throw new ObjectsError("not-found", "no object at this path: use /<id>[@<ref>]/…");
    c.set("address", addressOf(path));
    await next();
  });

  mount("api", async (c) => {
    const method = c.req.path.slice("/api/".length).split("/").filter(Boolean).join(".");
    return call(c.req.raw, c.var.address, method, c.req.method === "GET" ? [] : apiParams(await readJson(c.req.raw, "the API body")), executionContext(c));
  });

  mount("mcp", async (c) => {
    const { target, resolved } = await version(c);
    const origin = new URL(c.req.url).origin;
    return handleMcp(c.req.raw, {
      definition: resolved.snapshot.definition,
      hash: resolved.snapshot.hash,
      base: `${origin}/${target.id}@${target.ref}`,
      call: async (method, params) => {
        const reply = await dispatchCall(deps, target, resolved, method, params);
        return JSON.parse(unwrap(reply).json) as unknown;
      },
    });
  });

  mount("agent", async (c) => {
    const { target, resolved } = await version(c);
    const body = (await readJson(c.req.raw, "the agent request")) as { messages?: unknown } | undefined;
    const messages = body?.messages;
    if (!Array.isArray(messages) || messages.some((m) => !m || typeof m !== "object" || !["user", "assistant"].includes((m as { role?: string }).role ?? "") || typeof (m as { content?: unknown }).content !== "string")) {
      throw new ObjectsError("agent-body-invalid", 'an agent request is {"messages": [{"role": "user", "content": "…"}]}');
    }
    const ai = deps.services(target.environment).ai as AiService;
    const reply = await runAgent(resolved.snapshot.definition, ai, messages as ChatMessage[], async (method, params) => {
      const answer = await dispatchCall(deps, target, resolved, method, params);
      return JSON.parse(unwrap(answer).json) as unknown;
    });
    return json(JSON.stringify(reply));
  });

  mountSignIn(mount, deps.appAuth, async (c) => ({ version: (await version(c)).resolved, object: objectBase(route(c.req.raw)!) }));

  mount("appPage", async (c) => {
    const routed = route(c.req.raw)!;
    const user = await appUser(c, deps.appAuth, routed.id);
    if (!user) return signInRequired(c, objectBase(routed), routed.rest);
    const { target, resolved } = await version(c);
    const request = pageRequest(c.req.raw, routed, "app", user);
    const served = await servePage(deps, target, resolved, request);
    if (served) return served;
    if (wantsHtml(c.req.raw)) return notFoundPage(resolved, request);
    throw new ObjectsError("page-not-found", `${target.id} has no app page ${request.path}`);
  });

  mount("schema", async (c) => {
    const { resolved } = await version(c);
    return json(JSON.stringify(schemaView(resolved.snapshot, resolved.versions)));
  });

  // `to` is the ref of the path (latest by default); `from` is required: a diff against nothing named is a guess.
  mount("diff", async (c) => {
    const from = c.req.query("from");
    if (!from) throw new ObjectsError("from-required", "name the version to compare with: ?from=<ref> (e.g. ?from=v1.2.0)");
    const { id } = c.var.address;
    const to = c.req.query("to") ?? c.var.address.ref;
    const [before, after] = await Promise.all([versions.resolve(id, from), versions.resolve(id, to)]);
    return json(JSON.stringify({ ...diffView(id, before, after), refs: { from, to } } satisfies DiffResponse));
  });

  mount("sitePage", async (c) => {
    const { target, resolved } = await version(c);
    const request = pageRequest(c.req.raw, route(c.req.raw)!, "site");
    const served = await servePage(deps, target, resolved, request);
    if (served) return served;
    if (wantsHtml(c.req.raw)) return notFoundPage(resolved, request);
    throw new ObjectsError("page-not-found", `${target.id} has no page ${c.req.path}`);
  });

  app.all("*", () => {
    throw new ObjectsError("method-not-allowed", "this path answers other HTTP methods");
  });
  app.onError((error) => problemResponse(error));

  return {
    /** Every route the app mounted, as Hono lists them (a test holds them to the URL space's table). */
    routes: app.routes,
    async fetch(request: Request, env?: unknown, ctx?: ExecutionContext): Promise<Response> {
      const at = Date.now();
      const started = performance.now();
      const response = await serve(request, env, ctx);
      // A page, MCP or agent request a rollout split is judged too (a rollout splits latest: production); a 5xx fails.
      const arm = split.armOf(request);
      const path = route(request);
      if (arm && path && !noted.has(request)) deps.journal?.countSplit("production", path.id, { at, ok: response.status < 500, ms: performance.now() - started, rollout: arm }, ctx);
      return split.withCallerCookie(request, withVersionHeader(response, answered.get(request)));
    },
  };

  async function serve(request: Request, env?: unknown, ctx?: ExecutionContext): Promise<Response> {
    const url = requestUrl(request);
    // Awaited only when the table must be loaded: the call path stays free of extra turns.
    const table = hosts.current();
    const path = routeRequest(request, table instanceof Promise ? await table : table);
    routed.set(request, path);
    if (!path?.viaHost && !isPlatformHost(url.hostname, platformHosts)) {
      return problemResponse(new ObjectsError("host-not-found", `${url.hostname.slice(0, 253)} is not mapped to any object`));
    }
    if (!path && request.method === "GET" && url.pathname === "/") return landing(request);
    // A share link of a protected preview: its token becomes a cookie, and the address loses it.
    if (path && request.method === "GET" && request.url.includes(SHARE_PARAM)) {
      const redirect = await shareRedirect(deps.previewAccess, request, addressOf(path), objectBase(path).base);
      if (redirect) return redirect;
    }
    // The rpc surface is answered here, before Hono: the table names it, this is its only handler.
    if (path?.rest === SURFACES.rpc.path && request.method === "POST") {
      try {
        return await rpc(request, addressOf(path), ctx);
      } catch (error) {
        return problemResponse(error);
      }
    }
    return app.fetch(request, env, ctx);
  }
}
