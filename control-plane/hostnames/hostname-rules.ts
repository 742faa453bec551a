// What a hostname mapping may be, and who may make it (pure).
import { parseObjectPath } from "../../core/index.ts";
import { parseRef } from "../../registry/index.ts";
import { scopeCovers } from "../http/scope.ts";

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOSTNAME = new RegExp(`^(?:\\*\\.)?(?:${LABEL}\\.)+${LABEL}$`);

/** A lowercase DNS name with at least two labels, optionally `*.` for one label of any subdomain. */
export const isHostname = (host: string) => host.length <= 253 && HOSTNAME.test(host);

/** The object id pattern and ref of a target `id[@ref]`; `*` in a wildcard host's target stands for its label. */
export function parseTarget(host: string, target: string): { id: string; ref?: string } | string {
  const wildcard = host.startsWith("*.");
  if (target.includes("*") && !wildcard) return "only a wildcard host (*.example.com) may map to a target with *";
  const [id, ref, ...extra] = target.split("@");
  if (extra.length > 0 || !id) return "a target is an object id with an optional @ref, e.g. crm.acme.com@v1";
  const parsed = parseObjectPath(`/${id.replaceAll("*", "x")}`);
  if (!parsed || parsed.rest !== "/" || parsed.ref !== undefined) return `"${id}" is not an object id`;
  if (ref !== undefined) {
    try {
      parseRef(ref);
    } catch {
      return `"${ref}" is not a ref: use latest, v1.2.3, ^1, a hash prefix, pr-<n> or a branch`;
    }
  }
  return { id, ...(ref === undefined ? {} : { ref }) };
}

/** Whether scopes cover a target id; a pattern id (`*.hq.sb`) needs `*` or that very pattern. */
export function scopesCoverTarget(scopes: readonly string[], id: string): boolean {
  if (!id.includes("*")) return scopes.some((scope) => scopeCovers(scope, id));
  return scopes.some((scope) => scope === "*" || scope === id);
}
