// A tiny client for the Worker under test: `exports.default.fetch` inside workerd, any fetch elsewhere.
import { ProblemSchema, type Problem } from "../../schemas/index.ts";

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export function client(fetcher: Fetch, base = "http://objects.test") {
  const call = (path: string, init?: RequestInit, origin = base) => fetcher(`${origin}${path}`, init);
  return {
    fetch: call,
    put: (id: string, body: unknown, token: string, query = "") =>
      call(`/${id}${query}`, { method: "PUT", headers: { authorization: `Bearer ${token}` }, body: typeof body === "string" ? body : JSON.stringify(body) }),
    rpc: (path: string, method: string, params: unknown[] = []) => call(`/${path}/rpc`, { method: "POST", body: JSON.stringify({ method, params }) }),
    async result(path: string, method: string, params: unknown[] = []): Promise<unknown> {
      const response = await call(`/${path}/rpc`, { method: "POST", body: JSON.stringify({ method, params }) });
      const body = (await response.json()) as { result?: unknown };
      if (response.status !== 200) throw new Error(`${path} ${method}: ${response.status} ${JSON.stringify(body)}`);
      return body.result;
    },
  };
}

/** Parses a problem response against the problem schema and checks its status and media type. */
export async function problem(response: Response, status: number): Promise<Problem> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  if (!response.headers.get("content-type")?.startsWith("application/problem+json")) throw new Error(`not problem+json: ${text}`);
  return ProblemSchema.parse(JSON.parse(text));
}
