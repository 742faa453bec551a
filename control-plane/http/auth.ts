// Management authentication with jose: HS256 with a shared secret and/or RS256/ES256 from a configured JWKS URL.
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import { ObjectsError } from "../../core/index.ts";
import { scopeCovers, scopesOf } from "./scope.ts";

export interface AuthConfig {
  secret?: string;
  jwksUrl?: string;
  issuer: string;
  audience: string;
}

/** Who a verified token speaks for, and which object ids it may change. */
export interface Principal {
  subject: string;
  scopes: string[];
}

const BEARER = { "www-authenticate": 'Bearer realm="objects.do"' };
// git prompts for credentials (or asks its credential helper) only when challenged with Basic.
const BASIC = { "www-authenticate": 'Basic realm="objects.do"' };

export interface AuthOptions {
  /** Also accept HTTP Basic with the token as the password (git's credential helpers), and challenge with Basic. */
  basic?: boolean;
}

function tokenOf(header: string, basic: boolean): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1];
  const encoded = basic ? /^Basic\s+(\S+)$/i.exec(header)?.[1] : undefined;
  if (!encoded) return undefined;
  try {
    const decoded = atob(encoded);
    const password = decoded.slice(decoded.indexOf(":") + 1);
    return password || undefined;
  } catch {
    return undefined;
  }
}

// jose errors carry a stable `code`; the reason is told without echoing the token or any key.
function reason(error: { code?: string; claim?: string }): string {
  switch (error.code) {
    case "ERR_JWT_EXPIRED":
      return "the token has expired";
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      return `the token's "${error.claim}" claim is missing or not accepted`;
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return "the token's signature does not verify";
    case "ERR_JOSE_ALG_NOT_ALLOWED":
    case "ERR_JOSE_NOT_SUPPORTED":
      return "the token's algorithm is not accepted";
    case "ERR_JWKS_NO_MATCHING_KEY":
      return "no key matches the token's key id";
    default:
      return "the token is not a valid JWT";
  }
}

/** Verifies bearer tokens; fails closed (503) when neither a secret nor a JWKS URL is configured. */
export function createAuthenticator({ secret, jwksUrl, issuer, audience }: AuthConfig) {
  const hmacKey = secret ? new TextEncoder().encode(secret) : undefined;
  // Keys come only from configuration, never from a URL or key named inside the token.
  const jwks = jwksUrl ? createRemoteJWKSet(new URL(jwksUrl)) : undefined;
  const algorithms = [...(hmacKey ? ["HS256"] : []), ...(jwks ? ["RS256", "ES256"] : [])];
  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === "HS256" && hmacKey) return hmacKey;
    if (header.alg !== "HS256" && jwks) return jwks(header, token);
    throw new ObjectsError("token-invalid", "the token's algorithm is not accepted", { headers: BEARER });
  };

  return {
    async authenticate(request: Request, { basic = false }: AuthOptions = {}): Promise<Principal> {
      if (algorithms.length === 0) {
        throw new ObjectsError("auth-not-configured", "management authentication is not configured (JWT_SECRET or JWKS_URL)");
      }
      const challenge = basic ? BASIC : BEARER;
      const unauthenticated = (message: string) => new ObjectsError("token-invalid", message, { headers: challenge });
      const token = tokenOf(request.headers.get("authorization") ?? "", basic);
      if (!token) throw unauthenticated(basic ? "a token is required: as the password of HTTP Basic, or authorization: Bearer <token>" : "a bearer token is required (authorization: Bearer <token>)");
      try {
        const { payload } = await jwtVerify(token, getKey, {
          algorithms,
          issuer,
          audience,
          requiredClaims: ["exp"],
          // Also requires `iat`, refusing tokens issued in the future or more than 90 days ago (J5).
          maxTokenAge: "90d",
          clockTolerance: 60,
        });
        return { subject: typeof payload.sub === "string" ? payload.sub : "anonymous", scopes: scopesOf(payload.scope) };
      } catch (error) {
        if (error instanceof ObjectsError) throw error;
        if ((error as { code?: string }).code === "ERR_JWKS_TIMEOUT" || (error as { code?: string }).code === undefined) {
          throw new ObjectsError("keys-unavailable", "the signing keys could not be fetched", { headers: { "retry-after": "5" } });
        }
        throw unauthenticated(reason(error as { code?: string; claim?: string }));
      }
    },

    /** Throws 403 `scope-denied` unless one of the principal's scopes covers the id. */
    authorize(principal: Principal, id: string): void {
      if (!principal.scopes.some((pattern) => scopeCovers(pattern, id))) {
        throw new ObjectsError("scope-denied", `the token's scope does not cover "${id}"`);
      }
    },
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
