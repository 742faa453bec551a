import { base64url } from "jose";
import { describe, expect, it } from "vitest";
import { problem } from "../support/http.ts";
import { api, token, unique } from "../support/worker-client.ts";
import { signToken } from "../support/tokens.ts";

const definition = { api: { hello: "async () => 'hi'" } };
const now = () => Math.floor(Date.now() / 1000);

async function unsignedToken(): Promise<string> {
  const part = (value: object) => base64url.encode(JSON.stringify(value));
  return `${part({ alg: "none", typ: "JWT" })}.${part({ sub: "x", scope: "*", iss: "objects.do", aud: "objects.do", exp: now() + 600 })}.`;
}

describe("management authentication (J1–J12)", () => {
  it.each<[string, () => Promise<string>]>([
    ["alg: none (J1)", unsignedToken],
    ["a token signed with another key", () => signToken({ secret: "not-the-server-secret" })],
    ["an expired token (J3)", () => signToken({ expiresIn: -3600 })],
    ["a token without exp (J4)", () => signToken({ expiresIn: null })],
    ["a token not valid before a future time (J5)", () => signToken({ claims: { nbf: now() + 3600 } })],
    ["a token issued in the future (J5)", () => signToken({ claims: { iat: now() + 3600 } })],
    ["a token issued too long ago (J5)", () => signToken({ claims: { iat: now() - 91 * 86400 }, expiresIn: 3600 })],
    ["a token for another audience (J6)", () => signToken({ audience: "another-service" })],
    ["a token from another issuer (J7)", () => signToken({ issuer: "evil.example" })],
    ["a token whose header names its own key (J8)", async () => (await signToken({ secret: "attacker" })).replace(/^[^.]+/, base64url.encode(JSON.stringify({ alg: "HS256", jku: "https://evil.example/keys" })))],
    ["garbage", async () => "not.a.jwt"],
  ])("refuses %s with 401 and changes nothing", async (_, makeToken) => {
    const id = unique("auth");
    const body = await problem(await api.put(id, definition, await makeToken()), 401);
    expect(body.code).toBe("token-invalid");
    expect((await problem(await api.rpc(id, "hello"), 404)).code).toBe("object-not-found");
  });

  it("asks for a bearer token with WWW-Authenticate when none is given, ignoring cookies and query strings (J12)", async () => {
    const token = await signToken();
    const response = await api.fetch(`/${unique("anon")}?token=${token}`, { method: "PUT", headers: { cookie: `token=${token}` }, body: JSON.stringify(definition) });
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="objects.do"');
    expect((await problem(response, 401)).detail).toMatch(/bearer token is required/);
  });

  it("answers 403 when the token's scope does not cover the object, and publishes nothing (J9)", async () => {
    const token = await signToken({ scope: "*.acme.com other.do" });
    expect((await api.put(`crm-${crypto.randomUUID().slice(0, 6)}.acme.com`, definition, token)).status).toBe(201);
    const id = unique("outside");
    expect((await problem(await api.put(id, definition, token), 403)).code).toBe("scope-denied");
    expect((await problem(await api.rpc(id, "hello"), 404)).code).toBe("object-not-found");
  });

  it("guards every management route, not only PUT", async () => {
    const id = unique("guarded");
    await api.put(id, definition, await signToken());
    const narrow = await signToken({ scope: "someone-else.do" });
    const headers = { authorization: `Bearer ${narrow}`, accept: "application/json" };
    expect((await api.fetch(`/${id}`, { headers })).status).toBe(403);
    expect((await api.fetch(`/${id}/versions`, { headers })).status).toBe(403);
    expect((await api.fetch(`/${id}/rollback`, { method: "POST", headers, body: '{"to":"latest"}' })).status).toBe(403);
    expect((await api.fetch(`/${id}`, { method: "DELETE", headers })).status).toBe(403);
    expect((await api.fetch(`/${id}`, { method: "DELETE" })).status).toBe(401);
    expect(await api.result(id, "hello")).toBe("hi");
  });
});
