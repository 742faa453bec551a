// Token scopes: which object ids a management token may change (pure); the pattern grammar lives in schemas/.
export { scopeCovers } from "../../schemas/index.ts";

/** The scope patterns of a claim that is a space-separated string or an array of strings. */
export function scopesOf(claim: unknown): string[] {
  if (typeof claim === "string") return claim.split(/\s+/).filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((item): item is string => typeof item === "string");
  return [];
}
