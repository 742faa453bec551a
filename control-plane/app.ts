// The control plane's HTTP app: the management API, webhooks, the git remote, commit reports and the dashboard.
import { Hono } from "hono";
import { ObjectsError, problemResponse, surfaceMounter } from "../core/index.ts";
import { classifyControl, type ControlRoute } from "./classify.ts";
import type { Authenticator } from "./http/auth.ts";
import type { ObjectService } from "./object-service.ts";
import { jsonResponse } from "./http/json.ts";
import { gitRoutes, type GitRouteDeps } from "./routes/git.ts";
import { objectRoutes, type ControlEnv, type ObjectUsage, type ObjectViews, type RunSchedule, type SurfaceHandler } from "./routes/objects.ts";
import { objectIndexRoutes } from "./routes/object-index.ts";
import { hostnameRoutes, type HostnameRouteDeps } from "./routes/hostnames.ts";
import { repoRoutes, type RepoRouteDeps } from "./routes/repos.ts";
import { reportRoutes, type ReportRouteDeps } from "./routes/reports.ts";
import { supervisorRoutes } from "./routes/supervisor.ts";
import type { SupervisorIntake } from "./supervisor-intake.ts";
import { webhookRoutes } from "./routes/webhooks.ts";
import { rolloutRoutes } from "./routes/rollouts.ts";
import type { RolloutService } from "./rollouts/rollout-service.ts";
import { previewRoutes, type PreviewRouteDeps } from "./routes/previews.ts";
import { metaRoutes } from "./routes/meta.ts";
import { dashboardRoutes } from "./routes/dashboard.ts";
import type { WebhookDeps } from "./webhooks/ingest.ts";

export interface ControlPlaneDeps {
  objects: ObjectService;
  /** Rollouts: their status, and pause, resume, promote, abort. */
  rollouts: RolloutService;
  auth: Authenticator;
  repo: GitRouteDeps["repo"];
  source: (name: string) => ReturnType<RepoRouteDeps["source"]> & ReturnType<WebhookDeps["source"]> & ReturnType<ReportRouteDeps["source"]>;
  connections: RepoRouteDeps["connections"];
  enqueue: RepoRouteDeps["enqueue"];
  githubAppSecret?: string;
  views: ObjectViews;
  runSchedule: RunSchedule;
  usage: ObjectUsage;
  hostnames: Omit<HostnameRouteDeps, "auth">;
  /** Previews: listing, removal, reset, share links, expiry. */
  previews: Omit<PreviewRouteDeps, "auth">;
  /** The local supervisor (`npm start`): its secret, its state as `/_/health` shows it (restarts, what stopped), and its quarantines. */
  supervisor?: { marker?: string; state?: unknown; intake?: Pick<SupervisorIntake, "report"> };
}

/**
 * The control app; `handles(request)` says whether a request is its to answer. Management endpoints route on their
 * own path (`/_/…`); the control surfaces under an object route on the path under it (`/`, `/versions`, …), mounted
 * from the URL space's table.
 */
export function createControlPlane({ objects, rollouts, auth, repo, source, connections, enqueue, githubAppSecret, views, runSchedule, usage, hostnames, previews, supervisor }: ControlPlaneDeps) {
  const routes = new WeakMap<Request, ControlRoute | null>();
  const classify = (request: Request) => {
    if (!routes.has(request)) routes.set(request, classifyControl(request));
    return routes.get(request)!;
  };
  const management = new Hono();
  management.get("/_/health", () => jsonResponse({ ok: true, ...(supervisor?.state ? { supervisor: supervisor.state } : {}) }));
  if (supervisor?.marker && supervisor.intake) supervisorRoutes(management, { marker: supervisor.marker, intake: supervisor.intake });
  metaRoutes(management, auth);
  dashboardRoutes(management);
  objectIndexRoutes(management, objects, auth);
  gitRoutes(management, { auth, repo });
  repoRoutes(management, { auth, source, connections, enqueue });
  reportRoutes(management, { source });
  hostnameRoutes(management, { auth, ...hostnames });
  previewRoutes(management, { auth, ...previews });
  webhookRoutes(management, { source, enqueue, ...(githubAppSecret ? { appSecret: githubAppSecret } : {}) });

  // Only object routes reach this app (fetch below), so the classified object is always there.
  const objectOf = (request: Request) => (classify(request) as Extract<ControlRoute, { kind: "object" }>).object;
  const surfaces = new Hono<ControlEnv>({ getPath: (request) => objectOf(request).rest });
  surfaces.use(async (c, next) => {
    c.set("object", objectOf(c.req.raw));
    await next();
  });
  const mount = surfaceMounter<"control", SurfaceHandler>(surfaces, "control");
  objectRoutes(mount, objects, auth, views, runSchedule, usage);
  rolloutRoutes(mount, rollouts, auth);

  for (const app of [management, surfaces]) {
    app.notFound(() => problemResponse(new ObjectsError("not-found", "no such management endpoint")));
    app.onError((error) => problemResponse(error));
  }
  return {
    handles: (request: Request) => classify(request) !== null,
    fetch: (request: Request, env?: unknown, ctx?: ExecutionContext) => {
      const route = classify(request);
      return (route?.kind === "object" ? surfaces : management).fetch(request, env, ctx);
    },
    /** Every route each app mounted, as Hono lists them (a test holds them to the URL space's table). */
    routes: { management: management.routes, surfaces: surfaces.routes },
  };
}
