import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, token, unique } from "../support/worker-client.ts";

const client = (path: string) => (env as unknown as { HUB_CLIENT: Fetcher }).HUB_CLIENT.fetch(`http://client${path}`);

describe("the hub, from another Worker with one service binding", () => {
  it("calls an object's nested methods, by id and by id@ref", async () => {
    const id = unique("startup");
    await api.put(id, { api: { ping: "async () => 'pong'", customers: { create: "async (c) => $.db.Customer.create(c)" } } }, token, "?version=1.0.0");
    for (const address of [id, `${id}@v1.0.0`, `${id}@^1`]) {
      const answer = (await (await client(`/create?id=${encodeURIComponent(address)}`)).json()) as { created: { name: string; id: string }; pong: string };
      expect(answer.pong).toBe("pong");
      expect(answer.created).toMatchObject({ name: "Acme", id: expect.any(String) });
    }
    expect((await api.result(id, "ping"))).toBe("pong");
  });

  it("verifies a token with auth.do, and refuses a bad one", async () => {
    const ok = (await (await client(`/verify?token=${token}`)).json()) as { principal: { subject: string; scopes: string[] } };
    expect(ok.principal).toEqual({ subject: "tester", scopes: ["*"] });
    const bad = await client("/verify?token=not-a-token");
    expect(bad.status).toBe(500);
    expect(((await bad.json()) as { error: string }).error).toMatch(/not a valid JWT/);
  });

  it("lists and calls an object's tools through mcp", async () => {
    const id = unique("tools");
    await api.put(id, { api: { ping: "async () => 'pong'", add: { code: "async (a, b) => a + b", params: ["a", "b"], returns: "number" } } }, token);
    const answer = (await (await client(`/tools?id=${id}`)).json()) as { tools: Array<{ name: string; inputSchema: unknown }>; called: string };
    expect(answer.tools.map((tool) => tool.name)).toEqual(["add", "ping"]);
    expect(answer.tools[0]!.inputSchema).toEqual({ type: "object", properties: { a: { description: "a" }, b: { description: "b" } }, required: ["a", "b"] });
    expect(answer.called).toBe("pong");
  });

  it("says clearly when a service has no provider configured", async () => {
    const answer = (await (await client("/ai")).json()) as { error: string };
    expect(answer.error).toMatch(/no AI provider is configured/);
  });

  it("refuses an address that names no object", async () => {
    const answer = (await (await client("/create?id=NOT%20AN%20ID")).json()) as { error: string };
    expect(answer.error).toMatch(/not an object address/);
  });
});
