// The control plane's HTTP app: the management API, webhooks, the git remote, commit reports and the dashboard.
import { Hono } from "hono";
import { ObjectsError, problemResponse } from "../core/index.ts";
import { classifyControl, type ControlRoute } from "./classify.ts";
import type { Authenticator } from "./http/auth.ts";
import type { ObjectService } from "./object-service.ts";
import { jsonResponse } from "./http/json.ts";
import { gitRoutes, type GitRouteDeps } from "./routes/git.ts";
import { objectRoutes, type ControlEnv, type ObjectViews } from "./routes/objects.ts";
import { hostnameRoutes, type HostnameRouteDeps } from "./routes/hostnames.ts";
import { repoRoutes, type RepoRouteDeps } from "./routes/repos.ts";
import { reportRoutes, type ReportRouteDeps } from "./routes/reports.ts";
import { supervisorRoutes } from "./routes/supervisor.ts";
import { webhookRoutes } from "./routes/webhooks.ts";
import { metaRoutes } from "./routes/meta.ts";
import { dashboardRoutes } from "./routes/dashboard.ts";
import type { WebhookDeps } from "./webhooks/ingest.ts";

export interface ControlPlaneDeps {
  objects: ObjectService;
  auth: Authenticator;
  repo: GitRouteDeps["repo"];
  source: (name: string) => ReturnType<RepoRouteDeps["source"]> & ReturnType<WebhookDeps["source"]> & ReturnType<ReportRouteDeps["source"]>;
  connections: RepoRouteDeps["connections"];
  enqueue: RepoRouteDeps["enqueue"];
  githubAppSecret?: string;
  views: ObjectViews;
  hostnames: Omit<HostnameRouteDeps, "auth">;
  /** The local supervisor (`npm start`): its secret, and its state as `/_/health` shows it (restarts, what stopped). */
  supervisor?: { marker?: string; state?: unknown };
}

/** The control app; `handles(request)` says whether a request is its to answer. */
export function createControlPlane({ objects, auth, repo, source, connections, enqueue, githubAppSecret, views, hostnames, supervisor }: ControlPlaneDeps) {
  const routes = new WeakMap<Request, ControlRoute | null>();
  const classify = (request: Request) => {
    if (!routes.has(request)) routes.set(request, classifyControl(request));
    return routes.get(request)!;
  };
  const app = new Hono<ControlEnv>({ getPath: (request) => classify(request)?.path ?? "/_/unknown" });
  app.use(async (c, next) => {
    const object = classify(c.req.raw)?.object;
    if (object) c.set("object", object);
    await next();
  });
  app.get("/_/health", () => jsonResponse({ ok: true, ...(supervisor?.state ? { supervisor: supervisor.state } : {}) }));
  supervisorRoutes(app, { ...(supervisor?.marker ? { marker: supervisor.marker } : {}), objects });
  metaRoutes(app, auth);
  dashboardRoutes(app);
  objectRoutes(app, objects, auth, views);
  gitRoutes(app, { auth, repo });
  repoRoutes(app, { auth, source, connections, enqueue });
  reportRoutes(app, { source });
  hostnameRoutes(app, { auth, ...hostnames });
  webhookRoutes(app, { source, enqueue, ...(githubAppSecret ? { appSecret: githubAppSecret } : {}) });
  app.notFound(() => problemResponse(new ObjectsError("not-found", "no such management endpoint")));
  app.onError((error) => problemResponse(error));
  return { handles: (request: Request) => classify(request) !== null, fetch: app.fetch };
}
