// Signs management tokens for tests with jose, as a real client would.
import { SignJWT, type JWTPayload } from "jose";

export const TEST_SECRET = "workers-test-secret";

export interface TokenOptions {
  secret?: string;
  scope?: string | string[];
  issuer?: string;
  audience?: string;
  /** Seconds from now; null leaves `exp` out. */
  expiresIn?: number | null;
  claims?: JWTPayload;
}

/** An HS256 token accepted by the test configuration unless an option says otherwise. */
export async function signToken(options: TokenOptions = {}): Promise<string> {
  const { secret = TEST_SECRET, scope = "*", issuer = "objects.do", audience = "objects.do", expiresIn = 3600, claims = {} } = options;
  const iat = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = { scope, sub: "tester", iss: issuer, aud: audience, iat, ...(expiresIn === null ? {} : { exp: iat + expiresIn }), ...claims };
  return new SignJWT(payload).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(secret));
}
