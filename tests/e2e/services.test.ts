import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";
import { workingCopy } from "../support/git.ts";
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.ts";
import { startOpenAiCompatible, startOutboundEndpoint, startStripe, type VendorServer } from "../support/vendor-servers.ts";

let e2e: E2E;
let outbound: VendorServer;
let ai: VendorServer;
let stripe: VendorServer;
let github: FakeGitHub;
let token: string;

beforeAll(async () => {
  [outbound, ai, stripe, github] = await Promise.all([startOutboundEndpoint(), startOpenAiCompatible(), startStripe(), startFakeGitHub()]);
  e2e = await startE2E({
    OUTBOUND_MODE: "deliver",
    ALLOW_PRIVATE_URLS: "true",
    OUTBOUND_SECRETS: JSON.stringify({ SLACK_TOKEN: "xoxb-platform-secret" }),
    AI_BASE_URL: `${ai.url}/v1`,
    AI_MODEL: "local-model",
    STRIPE_API_URL: stripe.url,
    STRIPE_API_KEY: "sk_test_objects",
    GITHUB_API_URL: github.url,
    GITHUB_TOKEN: "ghp_platform",
  });
  token = await e2e.token();
});
afterAll(async () => {
  await e2e?.stop();
  await Promise.all([outbound, ai, stripe, github].map((server) => server?.close()));
});

const put = (id: string, definition: unknown, ref = "") =>
  fetch(`${e2e.server.url}/${id}${ref}`, { method: "PUT", headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(definition) });

describe("services behind $, against servers speaking each vendor's wire format", () => {
  it("delivers $.slack through the object's outbound adapter, with a secret only the platform holds", async () => {
    await put("crm.services.do", {
      config: { outbound: { slack: { url: `${outbound.url}/hooks/sales`, secret: "SLACK_TOKEN" } } },
      api: { notify: "async (name) => $.slack`#sales New customer: ${name}`", mail: "async () => $.email`hello`" },
    });
    expect((await e2e.call("crm.services.do", "notify", ["Ada"])).body).toEqual({ result: { status: "sent" } });
    const [sent] = outbound.requests;
    expect(sent).toMatchObject({ method: "POST", path: "/hooks/sales" });
    expect(sent!.headers.authorization).toBe("Bearer xoxb-platform-secret");
    expect(JSON.parse(sent!.body)).toEqual({ channel: "slack", text: "#sales New customer: Ada", object: "crm.services.do", environment: "production" });
    const failed = await e2e.call("crm.services.do", "mail");
    expect(failed.status).toBe(500);
    expect(String(failed.body.detail)).toContain("no outbound adapter for email");
  });

  it("keeps the messages of a branch environment in its outbox while production delivers them", async () => {
    const repo = await workingCopy({ remote: `${e2e.server.url}/_/git/services.git`, token });
    try {
      const definition = JSON.stringify({ config: { outbound: { slack: { url: `${outbound.url}/hooks/x` } } }, api: { notify: "async () => $.slack`hello`" } });
      await repo.commit("main", { "notify.do.json": definition });
      expect((await repo.git("push", "objects", "main")).code).toBe(0);
      await repo.git("checkout", "-q", "-b", "feature");
      await repo.commit("feature", { "README.md": "branch\n" });
      expect((await repo.git("push", "objects", "feature")).code).toBe(0);
      const before = outbound.requests.length;
      expect((await e2e.call("notify.do@feature", "notify")).body).toEqual({ result: { status: "outbox" } });
      expect(outbound.requests.length).toBe(before);
      expect((await e2e.call("notify.do", "notify")).body).toEqual({ result: { status: "sent" } });
      expect(outbound.requests.length).toBe(before + 1);
      const outbox = (await (await fetch(`${e2e.server.url}/notify.do@feature/__outbox`, { headers: { authorization: `Bearer ${token}` } })).json()) as { environment: string; outbox: Array<{ text: string; status: string }> };
      expect(outbox).toMatchObject({ environment: "branch-feature", outbox: [{ text: "hello", status: "outbox" }] });
    } finally {
      repo.remove();
    }
  });

  it("answers $.ai.generate and $.ai.embed through an OpenAI-compatible endpoint", async () => {
    await put("ai.services.do", { api: { ask: "async (q) => $.ai.generate(q)", vector: "async (t) => $.ai.embed(t)" } });
    expect((await e2e.call("ai.services.do", "ask", ["what is objects.do?"])).body.result).toBe("echo: what is objects.do?");
    expect((await e2e.call("ai.services.do", "vector", ["x"])).body.result).toEqual([0.25, 0.5, 0.75]);
    expect(JSON.parse(ai.requests.find((r) => r.path === "/v1/chat/completions")!.body)).toMatchObject({ model: "local-model" });
  });

  it("creates a customer with the official Stripe SDK against the configured host", async () => {
    await put("billing.services.do", { api: { signup: "async (email) => $.stripe.customers.create({ email })" } });
    const result = (await e2e.call("billing.services.do", "signup", ["ada@example.com"])).body.result as Record<string, unknown>;
    expect(result).toMatchObject({ id: "cus_test_1", object: "customer", email: "ada@example.com" });
    const request = stripe.requests.at(-1)!;
    expect(request).toMatchObject({ method: "POST", path: "/v1/customers" });
    expect(new URLSearchParams(request.body).get("email")).toBe("ada@example.com");
    expect(request.headers["stripe-version"]).toBeTruthy();
  });

  it("reads a repository with @octokit/rest, accepting the seed's 'owner/repo' form", async () => {
    await put("gh.services.do", { api: { repo: "async (name) => (await $.github.repos.get(name)).data.full_name" } });
    expect((await e2e.call("gh.services.do", "repo", ["acme/objects"])).body.result).toBe("acme/objects");
    expect(github.find("GET", /^\/repos\/acme\/objects$/)[0]!.authorization).toBe("token ghp_platform");
  });

  it("refuses a service path that names no function, and services the object cannot reach", async () => {
    await put("bad.services.do", { api: { nope: "async () => $.stripe.customers.constructor()", missing: "async () => $.nothing.at.all()" } });
    expect(String((await e2e.call("bad.services.do", "nope")).body.detail)).toMatch(/ServiceError/);
    const missing = await e2e.call("bad.services.do", "missing");
    expect(String(missing.body.detail)).toMatch(/Cannot read properties of undefined/);
  });
});
