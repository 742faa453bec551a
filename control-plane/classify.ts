// Which requests the control plane answers: `/_/…`, and the seed's management shortcuts on object paths (pure).
import { parseObjectPath, type ObjectPath } from "../core/index.ts";

export const CONTROL_PREFIX = "/_";

export interface ControlRoute {
  /** The path the control app routes on: `/objects`, `/objects/versions`, `/objects/rollback`, or `/_/…` as is. */
  path: string;
  object?: ObjectPath;
}

const wantsJson = (request: Request) => {
  const accept = request.headers.get("accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
};

/** The object's own records, shown to its owners: `/__outbox`, `/__events`, `/__schedules`, `/__calls`. */
export const OBJECT_VIEWS = new Set(["/__outbox", "/__events", "/__schedules", "/__calls"]);

function objectRoute(object: ObjectPath): ControlRoute | null {
  if (object.rest === "/") return { path: "/objects", object };
  if (object.rest === "/versions" || object.rest === "/rollback" || object.rest === "/promote" || object.rest === "/release") return { path: `/objects${object.rest}`, object };
  if (OBJECT_VIEWS.has(object.rest)) return { path: "/objects/view", object };
  return null;
}

// The path of a URL without parsing all of it: this runs on every request, calls included.
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  const end = url.search(/[?#]/);
  return end < 0 ? url.slice(start) : url.slice(start, end);
}

/**
 * Classifies a request. `/_/objects/<id>[/versions|/rollback]` always belongs to the control plane; on a plain
 * object path, `PUT`/`DELETE /<id>`, `GET /<id>/versions`, `POST /<id>/rollback` and `GET /<id>` asking for JSON
 * do too (the seed's own API). Everything else is the runtime's: null.
 */
export function classifyControl(request: Request): ControlRoute | null {
  const pathname = pathOf(request.url);
  if (pathname === CONTROL_PREFIX || pathname.startsWith(`${CONTROL_PREFIX}/`)) {
    const objectsPrefix = `${CONTROL_PREFIX}/objects/`;
    if (!pathname.startsWith(objectsPrefix)) return { path: pathname };
    const object = parseObjectPath(pathname.slice(objectsPrefix.length - 1));
    return (object && objectRoute(object)) ?? { path: "/_/unknown" };
  }
  const { method } = request;
  // Calls (POST …/rpc, …/api/…) are the hot path: only a POST to …/rollback, …/promote or …/release can be the control plane's.
  if (method === "POST" && !pathname.endsWith("/rollback") && !pathname.endsWith("/promote") && !pathname.endsWith("/release")) return null;
  const object = parseObjectPath(pathname);
  if (!object) return null;
  if (object.rest === "/" && (method === "PUT" || method === "DELETE" || (method === "GET" && wantsJson(request)))) return objectRoute(object);
  if ((object.rest === "/versions" && method === "GET") || ((object.rest === "/rollback" || object.rest === "/promote" || object.rest === "/release") && method === "POST")) return objectRoute(object);
  if (OBJECT_VIEWS.has(object.rest) && method === "GET") return objectRoute(object);
  return null;
}
