// Routes of the management API on one object: PUT, GET, DELETE, versions, rollback. Thin: parse, call, map.
import type { Context } from "hono";
import type { z } from "zod";
import { ObjectsError, parseJsonText, readLimitedBytes, readLimitedText, type ObjectPath, type SurfaceOf } from "../../core/index.ts";
import { parseDefinitionBody } from "../../definitions/index.ts";
import { PromoteBodySchema, ReleaseBodySchema, RetireBodySchema, RollbackBodySchema, type ObjectRecordKind, type ObjectRecords, type ObjectRecordsResponse, type UsageQuery, type UsageReport } from "../../schemas/index.ts";
import type { Authenticator } from "../http/auth.ts";
import type { ObjectService } from "../object-service.ts";
import { jsonResponse } from "../http/json.ts";

export const MAX_DEFINITION_BYTES = 1_048_576;

export type ControlEnv = { Variables: { object: ObjectPath } };

// `If-Match: "<hash>"` makes a PUT compare-and-swap on `latest`; `If-None-Match: *` requires a new object.
function expectedLatest(headers: Headers): string | null | undefined {
  if (headers.get("if-none-match") === "*") return null;
  const match = headers.get("if-match");
  return match ? match.replace(/^W\//, "").replaceAll('"', "") : undefined;
}

function objectUrls(origin: string, id: string, hash: string, version: string | null) {
  const base = `${origin}/${id}`;
  return { latest: base, hash: `${base}@${hash.slice(0, 12)}`, ...(version ? { version: `${base}@v${version}` } : {}), rpc: `${base}/rpc`, schema: `${base}/__schema` };
}

/** Reads an object's records (outbox, events, schedules, calls) in one environment. */
export type ObjectViews = <K extends ObjectRecordKind>(id: string, environment: string, kind: K, limit: number) => Promise<ObjectRecords[K]>;

/** Reads an object's usage in one environment (`GET /<id>/__usage`). */
export type ObjectUsage = (id: string, environment: string, query: UsageQuery) => Promise<UsageReport>;

/** Runs one schedule handler of `id@ref` now, in that ref's environment; answers what the handler returned. */
export type RunSchedule = (id: string, ref: string, pattern: string) => Promise<unknown>;

/** A control surface's handler; the app has already split `/<id>` into `c.var.object`. */
export type SurfaceHandler = (c: Context<ControlEnv>) => Promise<Response>;

/** Mounts the control surfaces under an object (core/url-space.ts names them). */
export function objectRoutes(mount: (name: SurfaceOf<"control">, handler: SurfaceHandler) => void, objects: ObjectService, auth: Authenticator, views: ObjectViews, runSchedule: RunSchedule, usage: ObjectUsage): void {
  const authorized = async (request: Request, id: string) => {
    const principal = await auth.authenticate(request);
    auth.authorize(principal, id);
    return principal;
  };
  const plainId = (object: ObjectPath) => {
    if (object.ref !== undefined) throw new ObjectsError("ref-not-writable", `write to ${object.id} itself; a version is published with ?version=`);
    return object.id;
  };

  mount("publish", async (c) => {
    const id = plainId(c.var.object);
    const principal = await authorized(c.req.raw, id);
    // The body is JSON whatever the content type says: the seed's own examples send text/plain.
    const bytes = await readLimitedBytes(c.req.raw, MAX_DEFINITION_BYTES, "the definition");
    const version = c.req.query("version");
    const result = await objects.put({
      id,
      body: parseDefinitionBody(bytes),
      actor: principal.subject,
      scopes: principal.scopes,
      ...(version !== undefined ? { version } : {}),
      ...(expectedLatest(c.req.raw.headers) !== undefined ? { expectLatest: expectedLatest(c.req.raw.headers)! } : {}),
    });
    const body = { ...result, urls: objectUrls(new URL(c.req.url).origin, id, result.hash, result.version) };
    return jsonResponse(body, result.created ? 201 : 200, { etag: `"${result.hash}"` });
  });

  mount("describe", async (c) => {
    const { id } = c.var.object;
    await authorized(c.req.raw, id);
    const described = await objects.describe(id, c.var.object.ref);
    return jsonResponse(described, 200, { etag: `"${described.hash}"` });
  });

  mount("versions", async (c) => {
    await authorized(c.req.raw, c.var.object.id);
    return jsonResponse(await objects.versions(c.var.object.id, c.req.query("diffs") === "1"));
  });

  /** A small JSON body of one ref field, or a 400 naming its shape. */
  const refBody = async <T>(request: Request, schema: z.ZodType<T>, what: "rollback" | "promote" | "release" | "retire", shape: string): Promise<T> => {
    const parsed = schema.safeParse(parseJsonText(await readLimitedText(request, 4096, `the ${what} body`), `the ${what} body`));
    if (!parsed.success) throw new ObjectsError(`${what}-body-invalid`, `a ${what} body is ${shape}`);
    return parsed.data;
  };

  mount("rollback", async (c) => {
    const id = plainId(c.var.object);
    const principal = await authorized(c.req.raw, id);
    const { to } = await refBody(c.req.raw, RollbackBodySchema, "rollback", '{"to": "<ref>"}');
    return jsonResponse(await objects.rollback(id, to, principal.subject));
  });

  mount("promote", async (c) => {
    const id = plainId(c.var.object);
    const principal = await authorized(c.req.raw, id);
    const { from } = await refBody(c.req.raw, PromoteBodySchema, "promote", '{"from": "<ref>"}, e.g. {"from": "pr-42"}');
    return jsonResponse(await objects.promote(id, from, principal.subject));
  });

  // A version that answers 410 from now on; checked against its usage in production first (see object-service.ts).
  mount("retire", async (c) => {
    const id = plainId(c.var.object);
    const principal = await authorized(c.req.raw, id);
    const body = await refBody(c.req.raw, RetireBodySchema, "retire", '{"ref": "<version or hash>", "days"?: 1–90, "force"?: true, "restore"?: true}');
    return jsonResponse(
      await objects.retire(id, body, principal.subject, async (hash, days) => {
        const report = await usage(id, "production", { days, now: Date.now(), ref: hash });
        return { days, calls: report.total.calls, lastSeen: report.versions[0]?.lastSeen ?? null };
      }),
    );
  });

  mount("release", async (c) => {
    const id = plainId(c.var.object);
    await authorized(c.req.raw, id);
    const named = await refBody(c.req.raw, ReleaseBodySchema, "release", '{"hash": "<64 hex>"} or {"ref": "<ref>"}');
    return jsonResponse(await objects.release(id, named));
  });

  // An object's own records, shown to its owners: one surface each, one reader.
  for (const kind of ["outbox", "events", "schedules", "calls"] as const) {
    mount(kind, async (c) => {
      const { id, ref } = c.var.object;
      await authorized(c.req.raw, id);
      const limit = Math.min(1000, Math.max(1, Number(c.req.query("limit")) || 100));
      const environment = await objects.environment(id, ref ?? "latest");
      return jsonResponse({ id, environment, ...(await views(id, environment, kind, limit)) } satisfies ObjectRecordsResponse<typeof kind>);
    });
  }

  // Every call counted by ref, version and caller: `?days=` (1–90, 30 by default), `?ref=` one ref as named or a hash prefix.
  mount("usage", async (c) => {
    const { id, ref } = c.var.object;
    await authorized(c.req.raw, id);
    const days = Math.min(90, Math.max(1, Math.floor(Number(c.req.query("days") ?? 30)) || 30));
    const named = c.req.query("ref");
    const environment = await objects.environment(id, named ?? ref ?? "latest");
    return jsonResponse(await usage(id, environment, { days, now: Date.now(), ...(named ? { ref: named } : {}) }));
  });

  // Previews and branches run no schedules on their own: this runs one when asked (production's run on their clock).
  mount("runSchedule", async (c) => {
    const { id, ref } = c.var.object;
    await authorized(c.req.raw, id);
    const pattern = c.req.query("pattern");
    if (!pattern) throw new ObjectsError("pattern-required", "name the schedule to run: ?pattern=<pattern> (e.g. ?pattern=every.hour)");
    return jsonResponse({ id, ref: ref ?? "latest", pattern, result: await runSchedule(id, ref ?? "latest", pattern) });
  });

  mount("remove", async (c) => {
    const id = plainId(c.var.object);
    await authorized(c.req.raw, id);
    await objects.remove(id);
    return c.body(null, 204);
  });
}
