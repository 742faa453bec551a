// App sessions (pure, jose): a short JWT signed with the platform's session secret, held in an HttpOnly, Secure,
// SameSite cookie whose name and audience belong to one object, so one object's session never opens another's app.
import { jwtVerify, SignJWT } from "jose";

export interface SessionUser {
  sub: string;
  /** Which provider vouched for the user (`corp`, `github`) or `token` for a bearer token. */
  provider: string;
  email?: string;
  name?: string;
}

const encoder = new TextEncoder();
const ISSUER = "objects.do/app";
const audienceOf = (objectId: string) => `objects.do/app/${objectId}`;

/** Cookie names are per object (a short hash of its id): `__Host-` pins them to this origin, path `/`, Secure. */
export async function sessionCookieName(objectId: string, kind: "session" | "signin"): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(objectId)));
  const tag = [...digest.slice(0, 6)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `__Host-od_${kind}_${tag}`;
}

/** Signs claims for one object, valid for `seconds`. */
export function signFor(secret: string, objectId: string, claims: Record<string, unknown>, seconds: number): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(ISSUER)
    .setAudience(audienceOf(objectId))
    .setIssuedAt()
    .setExpirationTime(`${seconds}s`)
    .sign(encoder.encode(secret));
}

/** The claims of a cookie value signed for this object, or null (forged, expired, another object's, malformed). */
export async function verifyFor<T>(secret: string, objectId: string, token: string | undefined): Promise<T | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, encoder.encode(secret), { issuer: ISSUER, audience: audienceOf(objectId), algorithms: ["HS256"], requiredClaims: ["exp"] });
    return payload as T;
  } catch {
    return null;
  }
}
