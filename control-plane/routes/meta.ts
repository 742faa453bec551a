// What tools ask the control plane about itself: who a token is (`objects login`), and the definition's JSON Schema
// at a stable URL (editors, through "$schema").
import type { Hono } from "hono";
import { DEFINITION_SCHEMA_PATH, definitionJsonSchemaText, type WhoamiResponse } from "../../schemas/index.ts";
import type { Authenticator } from "../http/auth.ts";
import { jsonResponse } from "../http/json.ts";

export function metaRoutes(app: Hono, auth: Authenticator): void {
  let schema: string | undefined;
  app.get(DEFINITION_SCHEMA_PATH, () => {
    schema ??= definitionJsonSchemaText();
    return new Response(schema, {
      headers: { "content-type": "application/schema+json", "access-control-allow-origin": "*", "cache-control": "public, max-age=300" },
    });
  });

  app.get("/_/whoami", async (c) => {
    const principal = await auth.authenticate(c.req.raw);
    return jsonResponse({ subject: principal.subject, scopes: principal.scopes } satisfies WhoamiResponse);
  });
}
