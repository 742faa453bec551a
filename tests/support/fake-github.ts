// A local server speaking GitHub's REST wire format for exactly the endpoints objects.do calls, recording every
// request. Octokit (the production client) is pointed at it through the connection's apiBaseUrl.
import { createServer, type IncomingMessage, type Server } from "node:http";

export interface RecordedRequest {
  method: string;
  path: string;
  body: Record<string, unknown>;
  authorization: string;
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  times: number;
}

export interface FakeGitHub {
  url: string;
  requests: RecordedRequest[];
  /** Pull request states; unknown numbers are open. */
  pulls: Map<number, "open" | "closed">;
  comments: Map<number, Array<{ id: number; body: string }>>;
  /** Collaborators' permissions by login (`admin`, `write`, `read`); anyone else is not a collaborator (404). */
  permissions: Map<string, "admin" | "write" | "read">;
  /** The next `times` requests matching `method path` answer `status`. */
  fail(method: string, path: RegExp, status: number, times?: number): void;
  find(method: string, path: RegExp): RecordedRequest[];
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const requests: RecordedRequest[] = [];
  const failures: Failure[] = [];
  const pulls = new Map<number, "open" | "closed">();
  const comments = new Map<number, Array<{ id: number; body: string }>>();
  const permissions = new Map<string, "admin" | "write" | "read">();
  const deployments: Array<{ id: number; environment: string }> = [];
  let nextId = 1000;

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const method = request.method ?? "GET";
    const body = await bodyOf(request);
    requests.push({ method, path: url.pathname, body, authorization: request.headers.authorization ?? "" });
    const json = (status: number, value: unknown) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    const failure = failures.find((f) => f.method === method && f.path.test(url.pathname) && f.times > 0);
    if (failure) {
      failure.times--;
      return json(failure.status, { message: failure.status === 403 ? "Resource not accessible by integration" : "Server Error" });
    }
    let match: RegExpExecArray | null;
    if (method === "POST" && (match = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(url.pathname))) {
      return json(201, { token: `installation-token-${match[1]}`, expires_at: new Date(Date.now() + 3600_000).toISOString() });
    }
    if (method === "GET" && (match = /^\/repos\/([\w.-]+)\/([\w.-]+)$/.exec(url.pathname))) return json(200, { id: 4242, full_name: `${match[1]}/${match[2]}`, private: false });
    if (method === "POST" && /\/check-runs$/.test(url.pathname)) return json(201, { id: nextId++ });
    if (method === "PATCH" && /\/check-runs\/\d+$/.test(url.pathname)) return json(200, {});
    if (method === "POST" && /\/statuses\/[0-9a-f]{40}$/.test(url.pathname)) return json(201, { id: nextId++ });
    if (method === "GET" && (match = /\/collaborators\/([^/]+)\/permission$/.exec(url.pathname))) {
      const permission = permissions.get(decodeURIComponent(match[1]!));
      return permission ? json(200, { permission, role_name: permission, user: { login: match[1] } }) : json(404, { message: "Not Found" });
    }
    if ((match = /\/pulls\/(\d+)$/.exec(url.pathname)) && method === "GET") return json(200, { number: Number(match[1]), state: pulls.get(Number(match[1])) ?? "open" });
    if ((match = /\/issues\/(\d+)\/comments$/.exec(url.pathname))) {
      const list = comments.get(Number(match[1])) ?? [];
      comments.set(Number(match[1]), list);
      if (method === "GET") return json(200, list);
      const comment = { id: nextId++, body: String(body.body) };
      list.push(comment);
      return json(201, comment);
    }
    if (method === "PATCH" && (match = /\/issues\/comments\/(\d+)$/.exec(url.pathname))) {
      const comment = [...comments.values()].flat().find((c) => c.id === Number(match![1]));
      if (!comment) return json(404, { message: "Not Found" });
      comment.body = String(body.body);
      return json(200, comment);
    }
    if (/\/deployments$/.test(url.pathname)) {
      if (method === "GET") return json(200, deployments.filter((d) => d.environment === url.searchParams.get("environment")));
      const deployment = { id: nextId++, environment: String(body.environment) };
      deployments.push(deployment);
      return json(201, deployment);
    }
    if (method === "POST" && /\/deployments\/\d+\/statuses$/.test(url.pathname)) return json(201, { id: nextId++ });
    return json(404, { message: "Not Found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests,
    pulls,
    comments,
    permissions,
    fail: (method, path, status, times = 1) => void failures.push({ method, path, status, times }),
    find: (method, path) => requests.filter((r) => r.method === method && path.test(r.path)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
