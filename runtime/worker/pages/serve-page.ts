// Serves one site or app page: parsed once per version (at load), expressions and components evaluated in the
// sandbox per request, static pages rendered once per version and link base.
import { errorOf, ObjectsError } from "../../../core/index.ts";
import type { SessionUser } from "../app-auth/session.ts";
import { dispatchPage, type DispatchDeps, type Target } from "../dispatch.ts";
import type { ResolvedVersion } from "../../executor/version-cache.ts";
import { componentCalls, type PageCalls } from "./component-calls.ts";
import { pageDocument, type PageChrome } from "./page-layout.ts";
import { renderPage, type Evaluation } from "./render-page.ts";

export interface PageRequest {
  area: "site" | "app";
  /** The page path (`/`, `/pricing`), without a trailing slash. */
  path: string;
  query: Record<string, string>;
  /** What site-absolute links are prefixed with: `/<id>@<ref>` when served by path, `` on a mapped host. */
  base: string;
  /** The signed-in user of an app page, which its expressions see as `page.user`. */
  user?: SessionUser;
}

// Scripts can never run on a page, whatever reaches it: the sanitizer strips them and the policy forbids them.
const HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
};

const callsCache = new WeakMap<ResolvedVersion["built"], Map<string, PageCalls>>();
const staticCache = new WeakMap<ResolvedVersion["built"], Map<string, string>>();

function cached<T>(cache: WeakMap<object, Map<string, T>>, owner: object, key: string, make: () => T): T {
  let map = cache.get(owner);
  if (!map) cache.set(owner, (map = new Map()));
  if (!map.has(key)) map.set(key, make());
  return map.get(key)!;
}

const linkOf = (base: string) => (path: string) => `${base}${path === "/" && base ? "" : path}` || "/";
const label = (path: string) => (path === "/" ? "/" : path.slice(1).replace(/^./, (c) => c.toUpperCase()));

function chrome(version: ResolvedVersion, request: PageRequest, title: string | undefined): PageChrome {
  const pages = Object.keys(version.snapshot.definition.site ?? {}).filter((path) => path.split("/").length <= 2).sort();
  const link = linkOf(request.base);
  const nav = pages.map((path) => ({ label: label(path), href: link(path), current: request.area === "site" && path === request.path }));
  return { name: version.snapshot.definition.$id, title, nav };
}

/** The 404 page of an object's site (HTML for browsers; API clients get the problem). */
export function notFoundPage(version: ResolvedVersion, request: PageRequest): Response {
  const body = `<h1>Page not found</h1><p>${version.snapshot.definition.$id} has no page here.</p>`;
  return new Response(pageDocument(chrome(version, request, "Page not found"), body), { status: 404, headers: HEADERS });
}

/** Renders a page of the resolved version, or null when it has none at this path. */
export async function servePage(deps: DispatchDeps, target: Target, version: ResolvedVersion, request: PageRequest): Promise<Response | null> {
  const key = `${request.area}:${request.path}`;
  const page = version.built.pages.pages.get(key);
  if (!page) return null;
  const defined = new Set(Object.keys(version.snapshot.definition.components ?? {}));
  const calls = cached(callsCache, version.built, key, () => componentCalls(page, defined));
  const link = linkOf(request.base);
  const site = Object.keys(version.snapshot.definition.site ?? {}).sort();
  const render = (evaluation: Evaluation) => {
    const rendered = renderPage(page, evaluation, calls, { pages: site, link });
    return pageDocument(chrome(version, request, rendered.title), rendered.html);
  };
  const headers = { ...HEADERS, "x-objects-hash": version.snapshot.hash };
  if (page.expressions.length === 0 && calls.calls.length === 0) {
    return new Response(cached(staticCache, version.built, `${key} ${request.base}`, () => render({ values: [], components: [] })), { headers });
  }
  const reply = await dispatchPage(deps, target, version, key, { path: request.path, query: request.query, ...(request.user ? { user: request.user } : {}) }, calls.calls);
  if (!reply.ok) throw errorOf(reply.failure);
  return new Response(render(JSON.parse(reply.value.json) as Evaluation), { headers });
}
