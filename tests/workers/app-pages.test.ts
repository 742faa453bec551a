import { SignJWT, UnsecuredJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { sessionCookieName } from "../../runtime/worker/app-auth/session.ts";
import { problem } from "../support/http.ts";
import { signToken } from "../support/tokens.ts";
import { api, token, unique } from "../support/worker-client.ts";

const SESSION_SECRET = "workers-session-secret";

/** A session cookie as the platform would sign it (or not), for `objectId`. */
async function session(objectId: string, { secret = SESSION_SECRET, audienceOf = objectId, expiresIn = 3600 } = {}): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  const jwt = await new SignJWT({ sub: "https://id.test|ada", provider: "corp", email: "ada@example.com", name: "Ada" })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer("objects.do/app")
    .setAudience(`objects.do/app/${audienceOf}`)
    .setIssuedAt(iat - 7200)
    .setExpirationTime(iat + expiresIn)
    .sign(new TextEncoder().encode(secret));
  return `${await sessionCookieName(objectId, "session")}=${jwt}`;
}

const app = {
  config: { auth: { providers: { corp: { issuer: "https://id.example.com", clientId: "crm" } } } },
  site: { "/": "# Public" },
  app: { "/": "# Dashboard\n\nSigned in as {page.user.name} ({page.user.email}) via {page.user.provider}.", "/reports": "# Reports" },
};

describe("app pages", () => {
  let id: string;
  beforeAll(async () => {
    id = unique("app");
    expect((await api.put(id, app, token)).status).toBe(201);
  });

  it("answers an API client without a session 401 problem+json, and redirects a browser to sign-in", async () => {
    const body = await problem(await api.fetch(`/${id}@latest/app`), 401);
    expect(body.code).toBe("session-required");
    const browser = await api.fetch(`/${id}@latest/app/reports`, { headers: { accept: "text/html" }, redirect: "manual" });
    expect(browser.status).toBe(302);
    expect(browser.headers.get("location")).toBe(`/${id}@latest/__auth/login?return_to=%2Fapp%2Freports`);
  });

  it("opens app pages with this object's session cookie and shows the user to the page's expressions", async () => {
    const response = await api.fetch(`/${id}@latest/app`, { headers: { cookie: await session(id) } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Signed in as Ada (ada@example.com) via corp.");
  });

  it("opens app pages with a platform bearer token", async () => {
    const response = await api.fetch(`/${id}@latest/app/reports`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<h1>Reports</h1>");
  });

  it.each([
    ["an expired session", () => session(id, { expiresIn: -10 })],
    ["a session signed with another secret", () => session(id, { secret: "forged" })],
    ["another object's session", async () => `${(await session(id)).split("=")[0]}=${(await session("other.do", { audienceOf: "other.do" })).split("=")[1]}`],
    ["unsigned claims in the cookie (alg none)", async () => `${await sessionCookieName(id, "session")}=${new UnsecuredJWT({ sub: "admin" }).setIssuer("objects.do/app").setAudience(`objects.do/app/${id}`).setExpirationTime("1h").encode()}`],
  ])("refuses %s (J3, J12)", async (_, cookie) => {
    expect((await problem(await api.fetch(`/${id}@latest/app`, { headers: { cookie: await cookie() } }), 401)).code).toBe("session-required");
  });

  it.each([
    ["not a JWT", async () => "not.a.jwt"],
    ["alg none (J1)", async () => new UnsecuredJWT({ sub: "admin", scope: "*" }).setIssuer("objects.do").setAudience("objects.do").setExpirationTime("1h").encode()],
    ["expired (J3)", () => signToken({ expiresIn: -120 })],
    ["without exp (J4)", () => signToken({ expiresIn: null })],
    ["for another audience (J6)", () => signToken({ audience: "other-service" })],
    ["from another issuer (J7)", () => signToken({ issuer: "https://evil.example" })],
  ])("refuses a bearer token %s with 401, never falling back to anonymous", async (_, bearer) => {
    expect((await problem(await api.fetch(`/${id}@latest/app`, { headers: { authorization: `Bearer ${await bearer()}` } }), 401)).code).toBe("token-invalid");
  });

  it("has no sign-in when the object configures none, and refuses a broken config.auth at publish", async () => {
    const plain = unique("noauth");
    await api.put(plain, { app: { "/": "# App" } }, token);
    expect((await problem(await api.fetch(`/${plain}@latest/__auth/login`), 404)).code).toBe("sign-in-not-configured");
    const body = await problem(await api.put(unique("badauth"), { config: { auth: { providers: { corp: { clientId: "x" } } } } }, token), 422);
    expect(body.errors).toContainEqual(expect.objectContaining({ path: "/config/auth/providers/corp/issuer" }));
  });

  it("refuses a callback with no sign-in in progress", async () => {
    expect((await problem(await api.fetch(`/${id}/__auth/callback?code=stolen&state=x`), 400)).code).toBe("sign-in-expired");
  });

  it("signs out by clearing the session cookie", async () => {
    const response = await api.fetch(`/${id}@latest/__auth/logout`, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("set-cookie")).toMatch(new RegExp(`^${await sessionCookieName(id, "session")}=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax`));
  });
});
