// Which requests the control plane answers, by the URL space's table (core/url-space.ts): `/_/…`, and the control
// surfaces under an object (pure).
import { controlSurface, MANAGED_OBJECTS_PREFIX, MANAGEMENT_PREFIX, mayBeControlPost, parseObjectPath, requestObject, requestUrl, type ObjectPath, type SurfaceOf } from "../core/index.ts";

export type ControlRoute =
  /** A management endpoint (or none: the management app answers 404), routed on its own path. */
  | { kind: "management"; path: string }
  /** A control surface under an object (also reached as `/_/objects/<id>…`), routed on the path under the object. */
  | { kind: "object"; surface: SurfaceOf<"control">; object: ObjectPath };

const wantsJson = (request: Request) => () => {
  const accept = request.headers.get("accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
};

function objectRoute(request: Request, object: ObjectPath | null, wantsJson: () => boolean): ControlRoute | null {
  const surface = object && controlSurface(request.method, object.rest, wantsJson);
  return surface ? { kind: "object", surface, object: object! } : null;
}

/** Classifies a request: a control route, or null when the runtime answers it. */
export function classifyControl(request: Request): ControlRoute | null {
  const { pathname } = requestUrl(request);
  if (pathname === MANAGEMENT_PREFIX || pathname.startsWith(`${MANAGEMENT_PREFIX}/`)) {
    if (!pathname.startsWith(`${MANAGED_OBJECTS_PREFIX}/`)) return { kind: "management", path: pathname };
    // The management alias answers every method it knows, JSON or not: it is an API path, never a page.
    return objectRoute(request, parseObjectPath(pathname.slice(MANAGED_OBJECTS_PREFIX.length)), () => true) ?? { kind: "management", path: pathname };
  }
  // Calls (POST …/rpc, …/api/…) are the hot path: they are the runtime's without parsing the path.
  if (request.method === "POST" && !mayBeControlPost(pathname)) return null;
  return objectRoute(request, requestObject(request), wantsJson(request));
}
