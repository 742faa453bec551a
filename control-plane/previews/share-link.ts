// Share links of protected previews: a signed, expiring token naming one object at one preview, for someone
// without a token of the platform (a reviewer, a client).
import { SignJWT } from "jose";
import { ObjectsError } from "../../core/index.ts";
import { DEFAULT_SHARE_TTL, durationMs, MAX_SHARE_TTL_MS, SHARE_AUDIENCE, SHARE_PARAM } from "../../schemas/index.ts";

/** The URL that opens `<id>@<ref>` until the link expires. */
export async function shareLink(secret: string, origin: string, id: string, ref: string, ttl = DEFAULT_SHARE_TTL, now = Date.now()): Promise<{ url: string; expiresAt: string }> {
  const ms = durationMs(ttl);
  if (ms === null || ms > MAX_SHARE_TTL_MS) throw new ObjectsError("preview-body-invalid", "a share link's ttl is minutes, hours or days (e.g. 30m, 12h, 7d), at most 30d");
  const expires = Math.floor((now + ms) / 1000);
  const token = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject(`${id}@${ref}`).setAudience(SHARE_AUDIENCE).setIssuedAt(Math.floor(now / 1000)).setExpirationTime(expires).sign(new TextEncoder().encode(secret));
  return { url: `${origin}/${id}@${ref}/?${SHARE_PARAM}=${token}`, expiresAt: new Date(expires * 1000).toISOString() };
}
