// The index of objects: listing what a token's scope covers, and rebuilding the index after an upgrade.
import type { Hono } from "hono";
import { ObjectsError } from "../../core/index.ts";
import type { Authenticator } from "../http/auth.ts";
import { scopeCovers } from "../http/scope.ts";
import { jsonResponse } from "../http/json.ts";
import type { ObjectService } from "../object-service.ts";

export function objectIndexRoutes(app: Hono, objects: ObjectService, auth: Authenticator): void {
  // Every object the token's scope covers, in id order; `?after=<id>` continues from `next`.
  app.get("/_/objects", async (c) => {
    const principal = await auth.authenticate(c.req.raw);
    const limit = Math.min(500, Math.max(1, Number(c.req.query("limit")) || 100));
    const covers = (id: string) => principal.scopes.some((pattern) => scopeCovers(pattern, id));
    return jsonResponse(await objects.list(covers, c.req.query("after"), limit));
  });

  // Upgrades from a version without the index: every object reappears in listings, a page of snapshots per call.
  app.post("/_/index/rebuild", async (c) => {
    const principal = await auth.authenticate(c.req.raw);
    if (!principal.scopes.includes("*")) throw new ObjectsError("scope-denied", 'rebuilding the index needs a token whose scope is "*"');
    return jsonResponse(await objects.reindex(c.req.query("cursor")));
  });
}
