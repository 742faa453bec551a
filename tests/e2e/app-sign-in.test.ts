// App sign-in against a real OpenID Connect provider (oidc-provider), driven hop by hop like a browser.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "../support/browser.ts";
import { startE2E, type E2E } from "../support/e2e.ts";
import { startGitHubOAuth, type GitHubOAuthServer } from "../support/github-oauth-server.ts";
import { startOidcServer, type OidcServer } from "../support/oidc-server.ts";

const ID = "crm.app.do";
const GH_ID = "gh.app.do";
let e2e: E2E;
let idp: OidcServer;
let github: GitHubOAuthServer;

beforeAll(async () => {
  github = await startGitHubOAuth({ clientId: "gh-client", clientSecret: "gh-secret" });
  e2e = await startE2E({
    ALLOW_PRIVATE_URLS: "true",
    GITHUB_WEB_URL: github.url,
    GITHUB_API_URL: github.url,
    OAUTH_CLIENT_SECRETS: JSON.stringify({ [`${ID}:corp`]: "crm-client-secret", [`${GH_ID}:github`]: "gh-secret" }),
  });
  idp = await startOidcServer({ clientId: "crm", clientSecret: "crm-client-secret", redirectUri: `${e2e.server.url}/${ID}/__auth/callback` });
  const definition = {
    config: { auth: { providers: { corp: { issuer: idp.issuer, clientId: "crm", label: "Acme SSO" } }, sessionSeconds: 2 } },
    site: { "/": "# Acme CRM" },
    app: { "/": "# Dashboard\n\nHello {page.user.name} ({page.user.email})" },
  };
  const response = await fetch(`${e2e.server.url}/${ID}`, { method: "PUT", headers: { authorization: `Bearer ${await e2e.token()}` }, body: JSON.stringify(definition) });
  expect(response.status, await response.clone().text()).toBe(201);
});
afterAll(async () => {
  await e2e?.stop();
  await idp?.close();
  await github?.close();
});

const isCallback = (url: string) => new URL(url).pathname === `/${ID}/__auth/callback`;

/** Runs a browser from an app page to the provider and back, stopping before the callback reaches objects.do. */
async function untilCallback(browser: Browser): Promise<URL> {
  const { url } = await browser.follow(`${e2e.server.url}/${ID}@latest/app`, isCallback);
  expect(isCallback(url)).toBe(true);
  return new URL(url);
}

describe("signing in to app pages with OpenID Connect", () => {
  it("redirects to the provider with PKCE, state and nonce, and comes back signed in to the page asked for", async () => {
    const browser = new Browser();
    const callback = await untilCallback(browser);
    const authorize = new URL(browser.visited.find((url) => url.startsWith(`${idp.issuer}/auth?`))!);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("state")).toMatch(/.{20,}/);
    expect(authorize.searchParams.get("nonce")).toMatch(/.{20,}/);
    expect(callback.searchParams.get("state")).toBe(authorize.searchParams.get("state"));
    const { response, url } = await browser.follow(callback.href);
    expect(url).toBe(`${e2e.server.url}/${ID}@latest/app`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Hello Ada Lovelace (ada@example.com)");
    const [session] = [...browser.cookies(e2e.server.url)].filter(([name]) => name.startsWith("__Host-od_session_"));
    expect(session).toBeDefined();
  });

  it("sets the session cookie HttpOnly, Secure, SameSite=Lax", async () => {
    const browser = new Browser();
    const callback = await untilCallback(browser);
    const response = await browser.get(callback.href);
    expect(response.status).toBe(302);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith("__Host-od_session_"))!;
    expect(cookie).toMatch(/; Max-Age=2; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
  });

  it("refuses a forged state and signs nobody in", async () => {
    const browser = new Browser();
    const callback = await untilCallback(browser);
    callback.searchParams.set("state", "forged-state");
    const response = await browser.get(callback.href, { accept: "application/json" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe("sign-in-state");
    expect([...browser.cookies(e2e.server.url).keys()].some((name) => name.startsWith("__Host-od_session_"))).toBe(false);
  });

  it("refuses a replayed code, even with the sign-in cookie it was issued under", async () => {
    const browser = new Browser();
    const callback = await untilCallback(browser);
    const inFlight = new Map(browser.cookies(e2e.server.url));
    expect((await browser.get(callback.href)).status).toBe(302);
    const attacker = new Browser();
    for (const [name, value] of inFlight) attacker.cookies(e2e.server.url).set(name, value);
    const replay = await attacker.get(callback.href, { accept: "application/json" });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { code: string; detail: string }).detail).toMatch(/invalid_grant/);
  });

  it("ends the session when it expires: the browser is sent to sign in again", async () => {
    const browser = new Browser();
    await browser.follow(`${e2e.server.url}/${ID}@latest/app`);
    expect((await browser.get(`${e2e.server.url}/${ID}@latest/app`)).status).toBe(200);
    // Asked until the session has expired (its lifetime is 2 s here), at most 20 s.
    let expired = await browser.get(`${e2e.server.url}/${ID}@latest/app`);
    for (let i = 0; i < 100 && expired.status === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expired = await browser.get(`${e2e.server.url}/${ID}@latest/app`);
    }
    expect(expired.status).toBe(302);
    expect(expired.headers.get("location")).toBe(`/${ID}@latest/__auth/login?return_to=%2Fapp`);
  });
});

describe("signing in to app pages with GitHub (OAuth 2 with PKCE, the user from GET /user)", () => {
  it("signs in with a GitHub account and shows it to the page", async () => {
    const definition = { config: { auth: { providers: { github: { type: "github", clientId: "gh-client" } } } }, app: { "/": "# Hi {page.user.name} ({page.user.sub})" } };
    const put = await fetch(`${e2e.server.url}/${GH_ID}`, { method: "PUT", headers: { authorization: `Bearer ${await e2e.token()}` }, body: JSON.stringify(definition) });
    expect(put.status).toBe(201);
    const browser = new Browser();
    const { response, url } = await browser.follow(`${e2e.server.url}/${GH_ID}@latest/app`);
    expect(browser.visited.some((visited) => visited.startsWith(`${github.url}/login/oauth/authorize?`))).toBe(true);
    expect(url).toBe(`${e2e.server.url}/${GH_ID}@latest/app`);
    expect(await response.text()).toContain("<h1>Hi The Octocat (github:583231)</h1>");
  });
});
