// JSON responses that end with a newline, so `curl` output reads one answer per line.

/** `application/json` with the body's JSON and a trailing newline. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(`${JSON.stringify(body)}\n`, { status, headers: { "content-type": "application/json", ...headers } });
}
