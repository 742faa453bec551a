// Local servers speaking vendors' wire formats, for the services behind `$`: an outbound message endpoint, an
// OpenAI-compatible API, and Stripe's form-encoded REST API. Each records what it was sent.
import { createServer, type IncomingMessage, type Server } from "node:http";

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface VendorServer {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

type Handler = (request: Recorded) => { status: number; body: unknown };

async function serve(handler: Handler): Promise<VendorServer> {
  const requests: Recorded[] = [];
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const recorded = { method: request.method ?? "GET", path: request.url ?? "/", headers: request.headers, body: Buffer.concat(chunks).toString() };
    requests.push(recorded);
    const { status, body } = handler(recorded);
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** An outbound message endpoint (a Slack-like webhook): accepts every POST. */
export const startOutboundEndpoint = () => serve(() => ({ status: 200, body: { ok: true } }));

/** An OpenAI-compatible API: chat completions echo the last user message (or call a tool once), embeddings are fixed. */
export function startOpenAiCompatible(options: { toolCall?: { name: string; arguments: string } } = {}) {
  let calledTool = false;
  return serve(({ path, body }) => {
    const request = JSON.parse(body || "{}") as { messages?: Array<{ role: string; content: string | null }>; tools?: unknown[] };
    if (path === "/v1/embeddings") return { status: 200, body: { data: [{ embedding: [0.25, 0.5, 0.75] }] } };
    if (path !== "/v1/chat/completions") return { status: 404, body: { error: "not found" } };
    if (options.toolCall && request.tools?.length && !calledTool) {
      calledTool = true;
      return { status: 200, body: { choices: [{ message: { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: options.toolCall }] } }] } };
    }
    const last = [...(request.messages ?? [])].reverse().find((m) => m.role === "user" || m.role === "tool");
    return { status: 200, body: { choices: [{ message: { role: "assistant", content: `echo: ${last?.content ?? ""}` } }] } };
  });
}

/** Stripe's REST API for customers: form-encoded requests, JSON objects back. */
export const startStripe = () =>
  serve(({ method, path, body, headers }) => {
    if (headers.authorization !== "Bearer sk_test_objects") return { status: 401, body: { error: { type: "invalid_request_error", message: "Invalid API Key provided" } } };
    if (method === "POST" && path === "/v1/customers") {
      const fields = Object.fromEntries(new URLSearchParams(body));
      return { status: 200, body: { id: "cus_test_1", object: "customer", email: fields.email ?? null, name: fields.name ?? null } };
    }
    return { status: 404, body: { error: { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${path})` } } };
  });
