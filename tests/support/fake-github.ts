// A local server speaking GitHub's REST wire format for the endpoints objects.do calls, holding their state (check runs,
// statuses, comments, deployments) and enforcing GitHub's documented required fields and limits. It records every
// request, and can fail or hold (do the work, never answer) any one call. Octokit, the production client, is pointed
// at it through the connection's apiBaseUrl.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export interface RecordedRequest {
  method: string;
  path: string;
  body: Record<string, unknown>;
  authorization: string;
}

export interface CheckRun {
  id: number;
  repo: string;
  head_sha: string;
  name: string;
  external_id?: string;
  status: string;
  conclusion?: string;
  details_url?: string;
  output: { title?: string; summary?: string; text?: string };
  annotations: Array<Record<string, unknown>>;
}

export interface Comment {
  id: number;
  body: string;
  user: { id: number; login: string; type: "User" | "Bot" };
}

interface Rule {
  method: string;
  path: RegExp;
  times: number;
  status?: number;
}

export interface FakeGitHub {
  url: string;
  requests: RecordedRequest[];
  /** Pull request states; unknown numbers are open. */
  pulls: Map<number, "open" | "closed">;
  comments: Map<number, Comment[]>;
  checkRuns: CheckRun[];
  statuses: Array<{ sha: string; state: string; context: string; description?: string; target_url?: string }>;
  deployments: Array<{ id: number; sha: string; environment: string; statuses: Array<{ state: string; environment_url?: string }> }>;
  /** Collaborators' permissions by login (`admin`, `write`, `read`); anyone else is not a collaborator (404). */
  permissions: Map<string, "admin" | "write" | "read">;
  /** The next `times` requests matching `method path` answer `status` (and change nothing). */
  fail(method: string, path: RegExp, status: number, times?: number): void;
  /** The next `times` requests matching `method path` do their work and then never answer. */
  hold(method: string, path: RegExp, times?: number): void;
  find(method: string, path: RegExp): RecordedRequest[];
  /** Failures and holds not used yet (a test whose faults never happened proves nothing). */
  unused(): string[];
  close(): Promise<void>;
}

/** The user a token acts as: an installation token is the app's bot; any other token a person. */
const userOf = (authorization: string): Comment["user"] =>
  /installation-token-/.test(authorization) ? { id: 9000, login: "objects-do[bot]", type: "Bot" } : { id: 1001, login: "token-owner", type: "User" };

async function bodyOf(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

class Invalid extends Error {}
const need = (condition: unknown, message: string) => {
  if (!condition) throw new Invalid(message);
};
const SHA = /^[0-9a-f]{40}$/;

/** GitHub's documented limits on a check run's output (REST: "Create a check run"). */
function checkOutput(output: unknown): { title?: string; summary?: string; text?: string; annotations: Array<Record<string, unknown>> } {
  if (output === undefined) return { annotations: [] };
  const { title, summary, text, annotations = [] } = output as Record<string, unknown>;
  need(typeof title === "string" && typeof summary === "string", "output.title and output.summary are required");
  need((summary as string).length <= 65_535, "output.summary is too long (maximum is 65535 characters)");
  need(text === undefined || (typeof text === "string" && text.length <= 65_535), "output.text is too long (maximum is 65535 characters)");
  need(Array.isArray(annotations) && annotations.length <= 50, "output.annotations: at most 50 per request");
  for (const a of annotations as Array<Record<string, unknown>>) {
    need(typeof a.path === "string" && Number.isInteger(a.start_line) && Number.isInteger(a.end_line), "an annotation needs path, start_line and end_line");
    need(["notice", "warning", "failure"].includes(String(a.annotation_level)), "annotation_level is notice, warning or failure");
    need(typeof a.message === "string" && a.message.length <= 65_535, "an annotation message is at most 64 KB");
    need(a.title === undefined || String(a.title).length <= 255, "an annotation title is at most 255 characters");
  }
  return { title: title as string, summary: summary as string, ...(typeof text === "string" ? { text } : {}), annotations: annotations as Array<Record<string, unknown>> };
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const requests: RecordedRequest[] = [];
  const failures: Rule[] = [];
  const holds: Rule[] = [];
  const held: ServerResponse[] = [];
  const pulls = new Map<number, "open" | "closed">();
  const comments = new Map<number, Comment[]>();
  const checkRuns: CheckRun[] = [];
  const statuses: FakeGitHub["statuses"] = [];
  const deployments: FakeGitHub["deployments"] = [];
  const permissions = new Map<string, "admin" | "write" | "read">();
  let nextId = 1000;
  const take = (rules: Rule[], method: string, path: string) => {
    const rule = rules.find((r) => r.method === method && r.path.test(path) && r.times > 0);
    if (rule) rule.times--;
    return rule;
  };

  function answer(method: string, url: URL, body: Record<string, unknown>, authorization: string): [number, unknown] {
    const path = url.pathname;
    let m: RegExpExecArray | null;
    if (method === "POST" && (m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path))) return [201, { token: `installation-token-${m[1]}`, expires_at: new Date(Date.now() + 3600_000).toISOString() }];
    if (method === "GET" && path === "/user") return /installation-token-/.test(authorization) ? [403, { message: "Resource not accessible by integration" }] : [200, userOf(authorization)];
    if (method === "GET" && (m = /^\/repos\/([\w.-]+)\/([\w.-]+)$/.exec(path))) return [200, { id: 4242, full_name: `${m[1]}/${m[2]}`, private: false }];
    const repoPath = /^\/repos\/([\w.-]+\/[\w.-]+)(\/.*)$/.exec(path);
    if (!repoPath) return [404, { message: "Not Found" }];
    const [, repo, rest] = repoPath as unknown as [string, string, string];
    if (method === "POST" && rest === "/check-runs") {
      // Only GitHub Apps may create check runs.
      if (!/installation-token-/.test(authorization)) return [403, { message: "You must authenticate via a GitHub App." }];
      need(typeof body.name === "string" && typeof body.head_sha === "string" && SHA.test(body.head_sha), "name and a 40-character head_sha are required");
      const { annotations, ...output } = checkOutput(body.output);
      const run: CheckRun = { id: nextId++, repo, head_sha: body.head_sha as string, name: body.name as string, status: String(body.status ?? "queued"), output, annotations, ...(typeof body.external_id === "string" ? { external_id: body.external_id } : {}), ...(body.conclusion ? { conclusion: String(body.conclusion) } : {}), ...(body.details_url ? { details_url: String(body.details_url) } : {}) };
      checkRuns.push(run);
      return [201, run];
    }
    if (method === "PATCH" && (m = /^\/check-runs\/(\d+)$/.exec(rest))) {
      const run = checkRuns.find((r) => r.id === Number(m![1]) && r.repo === repo);
      if (!run) return [404, { message: "Not Found" }];
      const { annotations, ...output } = checkOutput(body.output);
      if (body.output) run.output = output;
      run.annotations.push(...annotations);
      if (body.conclusion) run.conclusion = String(body.conclusion);
      if (body.status) run.status = String(body.status);
      if (body.details_url) run.details_url = String(body.details_url);
      return [200, run];
    }
    if (method === "GET" && (m = /^\/commits\/([0-9a-f]{40})\/check-runs$/.exec(rest))) {
      const runs = checkRuns.filter((r) => r.repo === repo && r.head_sha === m![1] && (!url.searchParams.get("check_name") || r.name === url.searchParams.get("check_name")));
      return [200, { total_count: runs.length, check_runs: runs }];
    }
    if (method === "POST" && (m = /^\/statuses\/([0-9a-f]{40})$/.exec(rest))) {
      need(["error", "failure", "pending", "success"].includes(String(body.state)), "state is error, failure, pending or success");
      need(body.description === undefined || String(body.description).length <= 140, "description is too long (maximum is 140 characters)");
      const status = { sha: m[1]!, state: String(body.state), context: String(body.context ?? "default"), ...(body.description ? { description: String(body.description) } : {}), ...(body.target_url ? { target_url: String(body.target_url) } : {}) };
      statuses.push(status);
      return [201, { id: nextId++, ...status }];
    }
    if (method === "GET" && (m = /^\/pulls\/(\d+)$/.exec(rest))) return [200, { number: Number(m[1]), state: pulls.get(Number(m[1])) ?? "open" }];
    if (method === "GET" && (m = /^\/collaborators\/([^/]+)\/permission$/.exec(rest))) {
      const permission = permissions.get(decodeURIComponent(m[1]!));
      return permission ? [200, { permission, role_name: permission, user: { login: m[1] } }] : [404, { message: "Not Found" }];
    }
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const list = comments.get(Number(m[1])) ?? [];
      comments.set(Number(m[1]), list);
      if (method === "GET") return [200, list];
      need(typeof body.body === "string" && body.body.length <= 65_536, "body is too long (maximum is 65536 characters)");
      const comment: Comment = { id: nextId++, body: String(body.body), user: userOf(authorization) };
      list.push(comment);
      return [201, comment];
    }
    if (method === "PATCH" && (m = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
      const comment = [...comments.values()].flat().find((c) => c.id === Number(m![1]));
      if (!comment) return [404, { message: "Not Found" }];
      if (comment.user.id !== userOf(authorization).id) return [403, { message: "Resource not accessible by integration" }];
      need(typeof body.body === "string" && body.body.length <= 65_536, "body is too long (maximum is 65536 characters)");
      comment.body = String(body.body);
      return [200, comment];
    }
    if (rest === "/deployments") {
      if (method === "GET") return [200, deployments.filter((d) => (!url.searchParams.get("environment") || d.environment === url.searchParams.get("environment")) && (!url.searchParams.get("sha") || d.sha === url.searchParams.get("sha")))];
      need(typeof body.ref === "string" && typeof body.environment === "string", "ref and environment are required");
      const deployment = { id: nextId++, sha: String(body.ref), environment: String(body.environment), statuses: [] };
      deployments.push(deployment);
      return [201, deployment];
    }
    if (method === "GET" && (m = /^\/deployments\/(\d+)\/statuses$/.exec(rest))) {
      const deployment = deployments.find((d) => d.id === Number(m![1]));
      if (!deployment) return [404, { message: "Not Found" }];
      // Newest first, as GitHub lists them.
      return [200, [...deployment.statuses].reverse().slice(0, Number(url.searchParams.get("per_page") ?? 30))];
    }
    if (method === "POST" && (m = /^\/deployments\/(\d+)\/statuses$/.exec(rest))) {
      const deployment = deployments.find((d) => d.id === Number(m![1]));
      if (!deployment) return [404, { message: "Not Found" }];
      need(["error", "failure", "inactive", "in_progress", "queued", "pending", "success"].includes(String(body.state)), "state is not a deployment state");
      deployment.statuses.push({ state: String(body.state), ...(body.environment_url ? { environment_url: String(body.environment_url) } : {}) });
      return [201, { id: nextId++, state: body.state }];
    }
    return [404, { message: "Not Found" }];
  }

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const method = request.method ?? "GET";
    const body = await bodyOf(request);
    const authorization = request.headers.authorization ?? "";
    requests.push({ method, path: url.pathname, body, authorization });
    const json = (status: number, value: unknown) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    const failure = take(failures, method, url.pathname);
    if (failure) return json(failure.status!, { message: failure.status === 403 ? "Resource not accessible by integration" : "Server Error" });
    let status: number;
    let value: unknown;
    try {
      [status, value] = answer(method, url, body, authorization);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      [status, value] = [422, { message: "Validation Failed", errors: [{ message: error.message }] }];
    }
    // Held: the work is done (as on a GitHub whose answer is lost), the answer never comes.
    if (take(holds, method, url.pathname)) return void held.push(response);
    json(status, value);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests,
    pulls,
    comments,
    checkRuns,
    statuses,
    deployments,
    permissions,
    fail: (method, path, status, times = 1) => void failures.push({ method, path, status, times }),
    hold: (method, path, times = 1) => void holds.push({ method, path, times }),
    find: (method, path) => requests.filter((r) => r.method === method && path.test(r.path)),
    unused: () => [...failures, ...holds].filter((rule) => rule.times > 0).map((rule) => `${rule.method} ${rule.path.source}`),
    close: () =>
      new Promise((resolve) => {
        for (const response of held) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
