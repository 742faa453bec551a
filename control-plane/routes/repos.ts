// Routes of connected repositories: connect, list, describe, disconnect, reconcile now. Thin: parse, call, map.
import type { Hono } from "hono";
import { issuesFromZod, ObjectsError, parseJsonText, readLimitedText } from "../../core/index.ts";
import { RepoConnectionSchema, type Job } from "../../schemas/index.ts";
import type { Authenticator, Principal } from "../http/auth.ts";
import { jsonResponse } from "../http/json.ts";
import type { InboxCounts } from "../sources/job-inbox.ts";
import type { StoredConnection } from "../sources/source-object.ts";

/** The parts of a SourceDO and of the connection list the routes use. */
export interface RepoRouteDeps {
  auth: Authenticator;
  source(name: string): {
    configure(connection: StoredConnection): Promise<void>;
    connection(): Promise<StoredConnection | null>;
    disconnect(): Promise<boolean>;
    reconcileJobs(): Promise<Job[]>;
    jobs(): Promise<InboxCounts>;
  };
  /** The list of connections (a Durable Object stub belongs to one request: made anew for each). */
  connections(): { add(name: string): Promise<void>; remove(name: string): Promise<void>; list(): Promise<string[]> };
  enqueue(jobs: Job[]): Promise<void>;
}

/** What a connection looks like from outside: never its secrets. */
function publicView(stored: StoredConnection, origin: string) {
  const { config } = stored;
  return {
    name: config.name,
    cloneUrl: config.cloneUrl,
    defaultBranch: config.defaultBranch,
    apiBaseUrl: config.apiBaseUrl,
    auth: "token" in config.auth ? "token" : "app",
    scopes: stored.scopes,
    connectedBy: stored.connectedBy,
    webhookUrl: `${origin}/_/webhooks/github/${config.name}`,
  };
}

// The one who connected a repository, or a token whose scope is `*`, may see or change the connection.
const mayManage = (principal: Principal, stored: StoredConnection) => principal.scopes.includes("*") || principal.subject === stored.connectedBy;

export function repoRoutes(app: Hono, { auth, source, connections, enqueue }: RepoRouteDeps): void {
  const owned = async (request: Request, name: string) => {
    const principal = await auth.authenticate(request);
    const stored = await source(name).connection();
    if (!stored || !mayManage(principal, stored)) throw new ObjectsError("repo-not-found", `${name} is not connected`);
    return stored;
  };
  const nameOf = (owner: string, repo: string) => `${owner}/${repo}`;

  app.post("/_/repos", async (c) => {
    const principal = await auth.authenticate(c.req.raw);
    const raw = parseJsonText(await readLimitedText(c.req.raw, 65_536, "the connection"), "the connection");
    const parsed = RepoConnectionSchema.safeParse(raw);
    if (!parsed.success) throw new ObjectsError("connection-invalid", "the connection is not valid", { issues: issuesFromZod(parsed.error.issues, raw) });
    const origin = new URL(c.req.url).origin;
    const stored: StoredConnection = { config: parsed.data, origin, scopes: principal.scopes, connectedBy: principal.subject };
    await source(parsed.data.name).configure(stored);
    await connections().add(parsed.data.name);
    return jsonResponse(publicView(stored, origin), 201);
  });

  app.get("/_/repos", async (c) => {
    const principal = await auth.authenticate(c.req.raw);
    const views = [];
    for (const name of await connections().list()) {
      const stored = await source(name).connection();
      if (stored && mayManage(principal, stored)) views.push(publicView(stored, new URL(c.req.url).origin));
    }
    return jsonResponse({ repos: views });
  });

  app.get("/_/repos/:owner/:repo", async (c) => {
    const name = nameOf(c.req.param("owner"), c.req.param("repo"));
    const view = publicView(await owned(c.req.raw, name), new URL(c.req.url).origin);
    return jsonResponse({ ...view, jobs: await source(name).jobs() });
  });

  app.delete("/_/repos/:owner/:repo", async (c) => {
    const name = nameOf(c.req.param("owner"), c.req.param("repo"));
    await owned(c.req.raw, name);
    await source(name).disconnect();
    await connections().remove(name);
    return new Response(null, { status: 204 });
  });

  app.post("/_/repos/:owner/:repo/reconcile", async (c) => {
    const name = nameOf(c.req.param("owner"), c.req.param("repo"));
    await owned(c.req.raw, name);
    const jobs = await source(name).reconcileJobs();
    await enqueue(jobs);
    return jsonResponse({ queued: jobs.length, jobs }, 202);
  });
}
