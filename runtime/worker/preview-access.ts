// Protected previews (`config.preview.protect`, and forked ones unless it says false): they answer a token whose scope covers the object, or the holder of
// a share link. A share link opened in a browser becomes a cookie scoped to the preview's path, then a redirect to
// the same URL without the token, so the preview's own links keep working and the token leaves the address bar.
import { cookieValue } from "./cookies.ts";
import { jwtVerify } from "jose";
import { ObjectsError } from "../../core/index.ts";
import { isProtected, previewConfigOf, SHARE_AUDIENCE, SHARE_PARAM, type PreviewConfig } from "../../schemas/index.ts";
import type { Address, Target } from "./dispatch.ts";
import type { ResolvedVersion } from "../executor/version-cache.ts";

export interface PreviewAccessDeps {
  /** What share links are signed with; none: only tokens open a protected preview. */
  shareSecret?: string;
  /** Whether the request carries a token whose scope covers the object. */
  covers(request: Request, id: string): Promise<boolean>;
}

const configs = new WeakMap<ResolvedVersion["snapshot"], PreviewConfig>();
const configOf = (version: ResolvedVersion) => {
  let config = configs.get(version.snapshot);
  if (!config) configs.set(version.snapshot, (config = previewConfigOf(version.snapshot.definition)));
  return config;
};

/** The share token of a request (its query, else its cookie) when it verifies for this object at this ref. */
async function shareExpiry(deps: PreviewAccessDeps, token: string | undefined | null, target: Address): Promise<number | null> {
  if (!token || !deps.shareSecret) return null;
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(deps.shareSecret), { audience: SHARE_AUDIENCE, algorithms: ["HS256"] });
    return payload.sub === `${target.id}@${target.ref}` && payload.exp ? payload.exp : null;
  } catch {
    return null;
  }
}

/** Refuses a request to a protected preview that brings neither a covering token nor a valid share link. */
export async function checkPreviewAccess(deps: PreviewAccessDeps, request: Request, target: Target, version: ResolvedVersion): Promise<void> {
  if (target.environment === "production" || !isProtected(configOf(version))) return;
  if ((await shareExpiry(deps, new URL(request.url).searchParams.get(SHARE_PARAM) ?? cookieValue(request, SHARE_PARAM), target)) !== null) return;
  if (request.headers.has("authorization") && (await deps.covers(request, target.id))) return;
  throw new ObjectsError("preview-protected", `${target.id}@${target.ref} is a protected preview: send a token that covers ${target.id}, or open its share link`);
}

/** A browser opening a share link: the cookie is set and the token dropped from the URL (null: not such a request). */
export async function shareRedirect(deps: PreviewAccessDeps, request: Request, target: Address, base: string): Promise<Response | null> {
  const url = new URL(request.url);
  const token = url.searchParams.get(SHARE_PARAM);
  if (request.method !== "GET" || !token) return null;
  const expires = await shareExpiry(deps, token, target);
  if (expires === null) return null;
  url.searchParams.delete(SHARE_PARAM);
  const maxAge = Math.max(0, expires - Math.floor(Date.now() / 1000));
  const secure = url.protocol === "https:" ? "; Secure" : "";
  return new Response(null, { status: 303, headers: { location: url.href, "set-cookie": `${SHARE_PARAM}=${token}; Path=${base || "/"}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}` } });
}
