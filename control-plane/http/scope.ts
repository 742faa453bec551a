// Token scopes: which object ids a management token may change (pure).

/**
 * Whether a scope pattern covers an object id. `*` covers every id; `*.acme.com` covers ids whose first segment
 * ends in `.acme.com`; `crm.acme.com` covers that id and its sub-ids (`crm.acme.com/tenant-1`); `startup.do/*`
 * covers only the sub-ids of `startup.do`.
 */
export function scopeCovers(pattern: string, id: string): boolean {
  if (pattern === "*") return true;
  const root = id.split("/")[0]!;
  if (pattern.startsWith("*.")) return root.endsWith(pattern.slice(1));
  if (pattern.endsWith("/*")) return id.startsWith(pattern.slice(0, -1));
  return id === pattern || id.startsWith(`${pattern}/`);
}

/** The scope patterns of a claim that is a space-separated string or an array of strings. */
export function scopesOf(claim: unknown): string[] {
  if (typeof claim === "string") return claim.split(/\s+/).filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((item): item is string => typeof item === "string");
  return [];
}
