// Routes of GitHub webhooks: `/_/webhooks/github/<owner>/<name>` (the repository's secret) and `/_/webhooks/github`
// (the GitHub App's secret). Thin: the service answers; this maps its answer to HTTP.
import type { Hono } from "hono";
import { ingestWebhook, type WebhookDeps } from "../webhooks/ingest.ts";
import { jsonResponse } from "../http/json.ts";

export function webhookRoutes(app: Hono, deps: WebhookDeps): void {
  const answer = async (request: Request, repo?: string) => {
    const { status, body } = await ingestWebhook(deps, request, repo);
    return body ? jsonResponse(body, status) : new Response(null, { status });
  };
  app.post("/_/webhooks/github", (c) => answer(c.req.raw));
  app.post("/_/webhooks/github/:owner/:name", (c) => answer(c.req.raw, `${c.req.param("owner")}/${c.req.param("name")}`));
}
