// Routes of previews: list them (what the token covers), show, remove or reset one, make a share link of a protected
// one, and expire those past their time to live (the cron does it too; this takes the clock as `now`).
import type { Hono } from "hono";
import { ObjectsError, parseJsonText, readLimitedText } from "../../core/index.ts";
import type { Authenticator } from "../http/auth.ts";
import { scopeCovers } from "../http/scope.ts";
import { jsonResponse } from "../http/json.ts";
import { previewAddress, type PreviewService } from "../previews/preview-service.ts";
import { shareLink } from "../previews/share-link.ts";

export interface PreviewRouteDeps {
  auth: Authenticator;
  previews: PreviewService;
  /** The secret share links are signed with (the runtime verifies them with it); none: no share links. */
  shareSecret?: string;
}

async function smallBody(request: Request): Promise<Record<string, unknown>> {
  const text = await readLimitedText(request, 4096, "the body");
  if (text.trim() === "") return {};
  const body = parseJsonText(text, "the body");
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new ObjectsError("preview-body-invalid", "the body is a JSON object");
  return body as Record<string, unknown>;
}

export function previewRoutes(app: Hono, { auth, previews, shareSecret }: PreviewRouteDeps): void {
  /** The preview the path names, once the token is known to cover its object. */
  const authorized = async (request: Request, address: string) => {
    const preview = previewAddress(decodeURIComponent(address));
    auth.authorize(await auth.authenticate(request), preview.id);
    return preview;
  };
  const origin = (url: string) => new URL(url).origin;

  app.get("/_/previews", async (c) => {
    const principal = await auth.authenticate(c.req.raw);
    const covers = (id: string) => principal.scopes.some((pattern) => scopeCovers(pattern, id));
    return jsonResponse({ previews: await previews.list(covers, origin(c.req.url)) });
  });

  app.post("/_/previews/expire", async (c) => {
    const principal = await auth.authenticate(c.req.raw);
    if (!principal.scopes.includes("*")) throw new ObjectsError("scope-denied", 'expiring previews needs a token whose scope is "*"');
    const { now } = await smallBody(c.req.raw);
    const at = now === undefined ? Date.now() : typeof now === "string" ? Date.parse(now) : Number.NaN;
    if (Number.isNaN(at)) throw new ObjectsError("preview-body-invalid", 'an expiry body is {"now": "<ISO time>"} (or empty: now)');
    return jsonResponse({ expired: await previews.expire(at) });
  });

  app.get("/_/previews/:address", async (c) => {
    const { id, ref } = await authorized(c.req.raw, c.req.param("address"));
    return jsonResponse(await previews.get(ref, id, origin(c.req.url)));
  });

  app.delete("/_/previews/:address", async (c) => {
    const { id, ref } = await authorized(c.req.raw, c.req.param("address"));
    await previews.remove(ref, id);
    return new Response(null, { status: 204 });
  });

  app.post("/_/previews/:address/reset", async (c) => {
    const { id, ref } = await authorized(c.req.raw, c.req.param("address"));
    return jsonResponse({ id, ref, ...(await previews.reset(ref, id)) });
  });

  app.post("/_/previews/:address/share", async (c) => {
    const { id, ref } = await authorized(c.req.raw, c.req.param("address"));
    await previews.require(ref, id);
    if (!shareSecret) throw new ObjectsError("auth-not-configured", "share links need SESSION_SECRET (or JWT_SECRET) to be set");
    const { ttl } = await smallBody(c.req.raw);
    if (ttl !== undefined && typeof ttl !== "string") throw new ObjectsError("preview-body-invalid", 'a share body is {"ttl": "1h"}');
    return jsonResponse(await shareLink(shareSecret, origin(c.req.url), id, ref, ttl), 201);
  });
}
