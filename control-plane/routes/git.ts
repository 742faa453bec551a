// Routes of the git remote: `/_/git/<repo>.git/{info/refs, git-upload-pack, git-receive-pack}`. Thin: authenticate,
// then hand the request to the repository's Durable Object with who is asking.
import type { Hono } from "hono";
import { ObjectsError } from "../../core/index.ts";
import { REPO_HEADERS } from "../git/repo-object.ts";
import type { Authenticator } from "../http/auth.ts";

export const GIT_PREFIX = "/_/git/";
const GIT_PATH = /^\/_\/git\/([a-z0-9][a-z0-9._-]{0,99}(?:\/[a-z0-9][a-z0-9._-]{0,99})?)\.git\/(info\/refs|git-upload-pack|git-receive-pack)$/;

export interface GitRouteDeps {
  auth: Authenticator;
  /** The Durable Object of one repository (created by its first push). */
  repo(name: string): { fetch(request: Request): Promise<Response> };
}

/** Mounts the git endpoints. Every repository is private: clone and push both need a token. */
export function gitRoutes(app: Hono, { auth, repo }: GitRouteDeps): void {
  app.on(["GET", "POST"], `${GIT_PREFIX}*`, async (c) => {
    const url = new URL(c.req.url);
    const match = GIT_PATH.exec(url.pathname);
    if (!match) throw new ObjectsError("not-found", "a git remote is /_/git/<name>.git");
    const [, name, endpoint] = match as unknown as [string, string, string];
    if ((endpoint === "info/refs") !== (c.req.method === "GET")) throw new ObjectsError("method-not-allowed", `${endpoint} answers ${endpoint === "info/refs" ? "GET" : "POST"}`);
    const principal = await auth.authenticate(c.req.raw, { basic: true });
    const headers = new Headers({
      [REPO_HEADERS.repo]: name,
      [REPO_HEADERS.origin]: url.origin,
      [REPO_HEADERS.principal]: JSON.stringify(principal),
    });
    for (const header of ["content-type", "content-encoding", "content-length", "git-protocol"]) {
      const value = c.req.header(header);
      if (value) headers.set(header, value);
    }
    return repo(name).fetch(new Request(url, { method: c.req.method, headers, body: c.req.method === "POST" ? c.req.raw.body : null }));
  });
}
