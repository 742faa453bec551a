import { describe, expect, it } from "vitest";
import { configOf, parseConfig } from "../../config.ts";

describe("the Worker's configuration", () => {
  it("parses every var once, with defaults for what is missing or malformed", () => {
    const config = parseConfig({ OUTBOUND_SECRETS: "not json", OAUTH_CLIENT_SECRETS: "[1]", GITHUB_TIMEOUT_MS: "-3", JOB_RETRY_DELAY_SECONDS: "abc", PLATFORM_HOSTS: " A.example.com, ,b.example.com " });
    expect(config.outbound).toEqual({ mode: "outbox", secrets: {} });
    expect(config.oauthClientSecrets).toEqual({});
    expect(config.github).toEqual({ webUrl: "https://github.com", apiUrl: "https://api.github.com", timeoutMs: 10_000 });
    expect(config.retryBaseSeconds).toBe(5);
    expect(config.platformHosts).toEqual(["a.example.com", "b.example.com"]);
    expect(config.allowPrivateUrls).toBe(false);
    expect(config.auth).toEqual({ issuer: "objects.do", audience: "objects.do" });
  });

  it("reads what is set", () => {
    const config = parseConfig({ ALLOW_PRIVATE_URLS: "true", OUTBOUND_MODE: "deliver", OUTBOUND_SECRETS: '{"s":"v"}', GITHUB_TIMEOUT_MS: "250", JOB_RETRY_DELAY_SECONDS: "0", STRIPE_API_URL: "http://127.0.0.1:9000", SUPERVISOR_STATE: '{"restarts":"2"}', SUPERVISOR_QUARANTINES: "[]" });
    expect(config.allowPrivateUrls).toBe(true);
    expect(config.outbound).toEqual({ mode: "deliver", secrets: { s: "v" } });
    expect(config.github.timeoutMs).toBe(250);
    expect(config.retryBaseSeconds).toBe(0);
    expect(config.stripe).toEqual({ host: "127.0.0.1", port: 9000, protocol: "http" });
    expect(config.supervisor).toEqual({ state: { restarts: "2" }, quarantines: "[]" });
  });

  it("is parsed once per env object", () => {
    const env = { JOB_RETRY_DELAY_SECONDS: "1" };
    expect(configOf(env)).toBe(configOf(env));
    expect(configOf({ ...env })).not.toBe(configOf(env));
  });
});
