// The URL space in one table: every surface under an object (`/<id>[@<ref>]/…`, or a mapped host's root), the plane
// that answers it, and how a request URL is split to find it (pure). Management endpoints live under `/_/`, where
// `/_/objects/<id>[@<ref>]/…` reaches the same control surfaces.

export type Plane = "control" | "runtime";
type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface Surface {
  plane: Plane;
  methods: readonly Method[];
  /** The path under the object, as Hono routes it (`*` matches the rest). */
  path: string;
  /** Only a request asking for JSON (and not HTML): `GET /<id>` is the seed's describe for APIs, the site for browsers. */
  json?: true;
}

/** Every surface under an object. The control plane's are matched exactly; whatever matches none is the runtime's. */
export const SURFACES = {
  publish: { plane: "control", methods: ["PUT"], path: "/" },
  remove: { plane: "control", methods: ["DELETE"], path: "/" },
  describe: { plane: "control", methods: ["GET"], path: "/", json: true },
  versions: { plane: "control", methods: ["GET"], path: "/versions" },
  rollback: { plane: "control", methods: ["POST"], path: "/rollback" },
  promote: { plane: "control", methods: ["POST"], path: "/promote" },
  release: { plane: "control", methods: ["POST"], path: "/release" },
  retire: { plane: "control", methods: ["POST"], path: "/__retire" },
  rollout: { plane: "control", methods: ["GET"], path: "/rollout" },
  rolloutPause: { plane: "control", methods: ["POST"], path: "/rollout/pause" },
  rolloutResume: { plane: "control", methods: ["POST"], path: "/rollout/resume" },
  rolloutPromote: { plane: "control", methods: ["POST"], path: "/rollout/promote" },
  rolloutAbort: { plane: "control", methods: ["POST"], path: "/rollout/abort" },
  outbox: { plane: "control", methods: ["GET"], path: "/__outbox" },
  events: { plane: "control", methods: ["GET"], path: "/__events" },
  schedules: { plane: "control", methods: ["GET"], path: "/__schedules" },
  runSchedule: { plane: "control", methods: ["POST"], path: "/__schedules/run" },
  calls: { plane: "control", methods: ["GET"], path: "/__calls" },
  usage: { plane: "control", methods: ["GET"], path: "/__usage" },
  rpc: { plane: "runtime", methods: ["POST"], path: "/rpc" },
  api: { plane: "runtime", methods: ["GET", "POST"], path: "/api/*" },
  mcp: { plane: "runtime", methods: ["GET", "POST", "DELETE"], path: "/mcp" },
  agent: { plane: "runtime", methods: ["POST"], path: "/agent" },
  signIn: { plane: "runtime", methods: ["GET"], path: "/__auth/login" },
  signInCallback: { plane: "runtime", methods: ["GET"], path: "/__auth/callback" },
  signOut: { plane: "runtime", methods: ["GET", "POST"], path: "/__auth/logout" },
  appPage: { plane: "runtime", methods: ["GET"], path: "/app/*" },
  schema: { plane: "runtime", methods: ["GET"], path: "/__schema" },
  diff: { plane: "runtime", methods: ["GET"], path: "/__diff" },
  sitePage: { plane: "runtime", methods: ["GET"], path: "/*" },
} as const satisfies Record<string, Surface>;

export type SurfaceName = keyof typeof SURFACES;
export type SurfaceOf<P extends Plane> = { [N in SurfaceName]: (typeof SURFACES)[N]["plane"] extends P ? N : never }[SurfaceName];

/** The prefix of management endpoints; `${MANAGEMENT_PREFIX}/objects/<id>…` is the control plane's alias of `/<id>…`. */
export const MANAGEMENT_PREFIX = "/_";
export const MANAGED_OBJECTS_PREFIX = `${MANAGEMENT_PREFIX}/objects`;

const entries = Object.entries(SURFACES) as Array<[SurfaceName, Surface]>;
const controlKeys = entries
  .filter(([, surface]) => surface.plane === "control")
  .flatMap(([name, surface]) => surface.methods.map((method): [string, SurfaceName] => [`${method} ${surface.path}`, name]));
const controlByKey = new Map<string, SurfaceName>(controlKeys);
// A POST can be the control plane's only at these last segments: the call path (POST …/rpc) skips parsing on this.
const controlPostEnds = entries.filter(([, s]) => s.plane === "control" && s.methods.includes("POST")).map(([, s]) => s.path);

/** First segments of every surface: they end an object id in a path (`/startup.do/tenant-1/rpc`), as does `__…`. */
export const SURFACE_SEGMENTS: ReadonlySet<string> = new Set(entries.map(([, s]) => s.path.split("/")[1] ?? "").filter((segment) => /^[a-z]/.test(segment)));

/** The control surface a request under an object names, or null when the runtime answers it. */
export function controlSurface(method: string, rest: string, wantsJson: () => boolean): SurfaceOf<"control"> | null {
  const name = controlByKey.get(`${method} ${rest}`) as SurfaceOf<"control"> | undefined;
  if (!name) return null;
  return "json" in SURFACES[name] && !wantsJson() ? null : name;
}

/** Whether a POST to this path may be the control plane's, judged on the path's end alone (no parsing). */
export const mayBeControlPost = (pathname: string) => controlPostEnds.some((end) => pathname.endsWith(end));

/**
 * Host name and path of an absolute URL as the runtime hands it over (already normalized), without building a URL
 * object: this runs on every call.
 */
export function splitUrl(url: string): { hostname: string; pathname: string } {
  const authority = url.indexOf("//") + 2;
  const slash = url.indexOf("/", authority);
  const host = url.slice(authority, slash < 0 ? undefined : slash);
  const at = host.lastIndexOf("@");
  const bare = at < 0 ? host : host.slice(at + 1);
  const hostname = bare.startsWith("[") ? bare.slice(0, bare.indexOf("]") + 1) : bare.split(":")[0]!;
  if (slash < 0) return { hostname, pathname: "/" };
  const end = url.slice(slash).search(/[?#]/);
  return { hostname, pathname: end < 0 ? url.slice(slash) : url.slice(slash, slash + end) };
}

/** What a plane's router offers (Hono's `on`), kept structural so core imports no router. */
interface Router<H> {
  on(methods: string[], path: string, handler: H): unknown;
}

/** Mounts one surface of the table on its plane's router: the only way a surface under an object gets a handler. */
export function surfaceMounter<P extends Plane, H>(router: Router<H>, plane: P): (name: SurfaceOf<P>, handler: H) => void {
  return (name, handler) => {
    const surface: Surface = SURFACES[name];
    if (surface.plane !== plane) throw new Error(`${name} is the ${surface.plane} plane's surface`);
    router.on([...surface.methods], surface.path, handler);
  };
}
