// A real git server for tests: `git http-backend` (shipped with git) behind a small CGI bridge, with Basic auth.
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export interface GitHttpServer {
  url: string;
  /** Requests seen, as `METHOD path`. */
  requests: string[];
  close(): Promise<void>;
}

function cgi(root: string, request: IncomingMessage, response: ServerResponse, user: string): void {
  const url = new URL(request.url ?? "/", "http://localhost");
  const child = spawn("git", ["http-backend"], {
    env: {
      ...process.env,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: "1",
      PATH_INFO: url.pathname,
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: request.method ?? "GET",
      CONTENT_TYPE: request.headers["content-type"] ?? "",
      REMOTE_USER: user,
      REMOTE_ADDR: "127.0.0.1",
      HTTP_GIT_PROTOCOL: String(request.headers["git-protocol"] ?? ""),
      HTTP_CONTENT_ENCODING: String(request.headers["content-encoding"] ?? ""),
    },
  });
  request.pipe(child.stdin);
  const chunks: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  child.on("close", () => {
    const output = Buffer.concat(chunks);
    let split = output.indexOf("\r\n\r\n");
    let gap = 4;
    if (split < 0) {
      split = output.indexOf("\n\n");
      gap = 2;
    }
    const headers = output.subarray(0, split).toString().split(/\r?\n/);
    let status = 200;
    for (const line of headers) {
      const [name, ...rest] = line.split(":");
      const value = rest.join(":").trim();
      if (name!.toLowerCase() === "status") status = Number.parseInt(value, 10);
      else if (name) response.setHeader(name, value);
    }
    response.writeHead(status);
    response.end(output.subarray(split + gap));
  });
}

/** Serves every repository under `root` at `http://127.0.0.1:<port>/<name>.git`, requiring a known token as the Basic password. */
export async function startGitHttpServer(root: string, ...tokens: string[]): Promise<GitHttpServer> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const header = request.headers.authorization ?? "";
    const password = header.startsWith("Basic ") ? Buffer.from(header.slice(6), "base64").toString().split(":").slice(1).join(":") : "";
    if (!tokens.includes(password)) {
      response.writeHead(401, { "www-authenticate": 'Basic realm="test"' }).end();
      return;
    }
    cgi(root, request, response, "tester");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
