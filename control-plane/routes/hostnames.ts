// Routes of custom hostnames: map a host to `id[@ref]`, list, unmap. A mapping is made and changed only by tokens
// whose scope covers its object, so one tenant can never take over another's hostname.
import type { Hono } from "hono";
import { ObjectsError, parseJsonText, readLimitedText } from "../../core/index.ts";
import type { HostnameRow } from "../hostnames/hostnames-object.ts";
import { isHostname, parseTarget, scopesCoverTarget } from "../hostnames/hostname-rules.ts";
import type { Authenticator } from "../http/auth.ts";
import { jsonResponse } from "../http/json.ts";

export interface HostnameRouteDeps {
  auth: Authenticator;
  /** The hostname table (a Durable Object stub belongs to one request: made anew for each). */
  hostnames(): { get(host: string): Promise<HostnameRow | null>; put(host: string, target: string, by: string): Promise<HostnameRow>; delete(host: string): Promise<boolean>; list(): Promise<HostnameRow[]> };
  /** Hosts fixed by the platform's HOSTNAMES configuration: not changeable here. */
  configured: Record<string, string>;
  /** Tells this isolate's runtime that the table changed. */
  changed(): void;
}

const targetId = (row: HostnameRow) => row.target.split("@")[0]!;
const view = ({ host, target, mapped_by, mapped_at }: HostnameRow) => ({ host, target, mappedBy: mapped_by, mappedAt: mapped_at });

function hostParam(raw: string): string {
  const host = decodeURIComponent(raw).toLowerCase().replace(/\.$/, "");
  if (!isHostname(host)) throw new ObjectsError("hostname-invalid", `"${host.slice(0, 80)}" is not a hostname (e.g. crm.acme.com or *.hq.sb)`);
  return host;
}

export function hostnameRoutes(app: Hono, { auth, hostnames, configured, changed }: HostnameRouteDeps): void {
  const mine = async (request: Request, host: string) => {
    const principal = await auth.authenticate(request);
    const current = await hostnames().get(host);
    // Someone else's mapping is answered as absent: no oracle of which hostnames exist.
    if (current && !scopesCoverTarget(principal.scopes, targetId(current))) throw new ObjectsError("hostname-not-found", `${host} is not mapped`);
    return { principal, current };
  };

  app.put("/_/hostnames/:host", async (c) => {
    const host = hostParam(c.req.param("host"));
    if (host in configured) throw new ObjectsError("hostname-configured", `${host} is fixed by the platform's HOSTNAMES configuration`);
    const body = parseJsonText(await readLimitedText(c.req.raw, 4096, "the mapping"), "the mapping") as { target?: unknown } | null;
    if (typeof body?.target !== "string") throw new ObjectsError("hostname-target-invalid", 'a mapping is {"target": "<id>[@<ref>]"}');
    const target = parseTarget(host, body.target);
    if (typeof target === "string") throw new ObjectsError("hostname-target-invalid", target);
    const { principal, current } = await mine(c.req.raw, host);
    if (!scopesCoverTarget(principal.scopes, target.id)) throw new ObjectsError("scope-insufficient", `the token's scope does not cover ${target.id}`);
    const row = await hostnames().put(host, body.target, principal.subject);
    changed();
    return jsonResponse(view(row), current ? 200 : 201);
  });

  app.get("/_/hostnames", async (c) => {
    const principal = await auth.authenticate(c.req.raw);
    const rows = (await hostnames().list()).filter((row) => scopesCoverTarget(principal.scopes, targetId(row)));
    return jsonResponse({ hostnames: rows.map(view) });
  });

  app.get("/_/hostnames/:host", async (c) => {
    const host = hostParam(c.req.param("host"));
    const { current } = await mine(c.req.raw, host);
    if (!current) throw new ObjectsError("hostname-not-found", `${host} is not mapped`);
    return jsonResponse(view(current));
  });

  app.delete("/_/hostnames/:host", async (c) => {
    const host = hostParam(c.req.param("host"));
    const { current } = await mine(c.req.raw, host);
    if (!current) throw new ObjectsError("hostname-not-found", `${host} is not mapped`);
    await hostnames().delete(host);
    changed();
    return new Response(null, { status: 204 });
  });
}
