// The hub as the seed writes it, from a user's Worker that `npm start -- --with-worker` runs beside objects.do.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";

const CONFIG = new URL("../fixtures/workers/hub-client.wrangler.jsonc", import.meta.url).pathname;
let e2e: E2E;
let client: string;
beforeAll(async () => {
  e2e = await startE2E({}, ["--with-worker", CONFIG]);
  // The line follows the health check's first answer by a moment.
  const printed = () => /hub-client on (http:\/\/localhost:\d+)/.exec(e2e.server.output());
  for (let wait = 0; wait < 100 && !printed(); wait++) await new Promise((resolve) => setTimeout(resolve, 100));
  const line = printed();
  expect(line, e2e.server.output()).not.toBeNull();
  client = line![1]!;
  const put = await fetch(`${e2e.server.url}/startup.hub.do`, {
    method: "PUT",
    headers: { authorization: `Bearer ${await e2e.token()}` },
    body: JSON.stringify({ api: { ping: "async () => 'pong'", greet: "async (name) => `hi ${name}`", customers: { create: "async (c) => $.db.Customer.create(c)" } } }),
  });
  expect(put.status).toBe(201);
});
afterAll(async () => {
  await e2e?.stop();
});

const get = async (path: string) => {
  const response = await fetch(`${client}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe("env.DO from another Worker, in the seed's syntax", () => {
  it("calls a service in one expression: await env.DO.auth.verify(token)", async () => {
    const token = await e2e.token("*.hub.do");
    expect(await get(`/seed/verify?token=${token}`)).toEqual({ status: 200, body: { principal: { subject: "e2e", scopes: ["*.hub.do"] } } });
    const bad = await get("/seed/verify?token=nope");
    expect(bad.body.error).toMatch(/not a valid JWT/);
  });

  it("reaches an object's nested methods and its tools", async () => {
    const created = await get("/seed/create?id=startup.hub.do");
    expect(created.body).toMatchObject({ pong: "pong", created: { name: "Acme", id: expect.any(String) } });
    const tools = await get("/seed/tools?id=startup.hub.do");
    expect(tools.body.called).toBe("hi Ada");
    expect((tools.body.tools as Array<{ name: string }>).map((tool) => tool.name)).toEqual(["customers.create", "greet", "ping"]);
  });

  it("pipelines into a service with no provider and says so", async () => {
    expect((await get("/seed/ai")).body.error).toMatch(/no AI provider is configured/);
  });
});
