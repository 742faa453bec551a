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
  let jwt = new SignJWT({ scope, ...claims }).setProtectedHeader({ alg: "HS256" }).setSubject("tester").setIssuer(issuer).setAudience(audience).setIssuedAt();
  if (expiresIn !== null) jwt = jwt.setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn);
  return jwt.sign(new TextEncoder().encode(secret));
}
