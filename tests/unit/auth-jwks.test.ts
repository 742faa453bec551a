import { createServer, type Server } from "node:http";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthenticator } from "../../control-plane/index.ts";

// A real HTTP server publishing a JWKS, as an identity provider would.
let server: Server;
let jwksUrl: string;
let privateKey: CryptoKey;
beforeAll(async () => {
  const pair = await generateKeyPair("ES256");
  privateKey = pair.privateKey as CryptoKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  server = createServer((_, response) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/.well-known/jwks.json`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const sign = (kid: string, key: CryptoKey = privateKey) =>
  new SignJWT({ scope: ["crm.acme.com"] }).setProtectedHeader({ alg: "ES256", kid }).setSubject("ci").setIssuer("objects.do").setAudience("objects.do").setIssuedAt().setExpirationTime("5m").sign(key);
const request = (token: string) => new Request("http://x/", { headers: { authorization: `Bearer ${token}` } });

describe("tokens signed by a JWKS key", () => {
  it("accepts an ES256 token whose kid is in the configured JWKS", async () => {
    const auth = createAuthenticator({ jwksUrl, issuer: "objects.do", audience: "objects.do" });
    expect(await auth.authenticate(request(await sign("k1")))).toEqual({ subject: "ci", scopes: ["crm.acme.com"] });
  });

  it("refuses an unknown kid with 401 (J8)", async () => {
    const auth = createAuthenticator({ jwksUrl, issuer: "objects.do", audience: "objects.do" });
    await expect(auth.authenticate(request(await sign("k9")))).rejects.toMatchObject({ status: 401, code: "token-invalid" });
  });

  it("fails closed with 503 when the JWKS endpoint is down (J8)", async () => {
    const auth = createAuthenticator({ jwksUrl: "http://127.0.0.1:1/jwks.json", issuer: "objects.do", audience: "objects.do" });
    await expect(auth.authenticate(request(await sign("k1")))).rejects.toMatchObject({ status: 503, code: "keys-unavailable" });
  });

  it("fails closed with 503 when no key is configured at all", async () => {
    const auth = createAuthenticator({ issuer: "objects.do", audience: "objects.do" });
    await expect(auth.authenticate(request(await sign("k1")))).rejects.toMatchObject({ status: 503, code: "auth-not-configured" });
  });

  it("refuses an HS256 token when only a JWKS is configured (no algorithm confusion)", async () => {
    const auth = createAuthenticator({ jwksUrl, issuer: "objects.do", audience: "objects.do" });
    const hs = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setIssuer("objects.do").setAudience("objects.do").setExpirationTime("5m").sign(new TextEncoder().encode("guess"));
    await expect(auth.authenticate(request(hs))).rejects.toMatchObject({ status: 401 });
  });
});
