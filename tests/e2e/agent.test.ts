import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";
import { startOpenAiCompatible, type VendorServer } from "../support/vendor-servers.ts";

let e2e: E2E;
let ai: VendorServer;
beforeAll(async () => {
  ai = await startOpenAiCompatible({ toolCall: { name: "customers__count", arguments: "{}" } });
  e2e = await startE2E({ AI_BASE_URL: `${ai.url}/v1`, AI_MODEL: "local-model" });
  const response = await fetch(`${e2e.server.url}/sales.agent.do`, {
    method: "PUT",
    headers: { authorization: `Bearer ${await e2e.token()}` },
    body: JSON.stringify({
      api: { customers: { count: "async () => (await $.db.Customer.list()).length + 41", secret: "async () => 'hidden'" } },
      agent: { model: "fast", systemPrompt: "You count Acme's customers.", tools: ["customers.count"] },
    }),
  });
  expect(response.status).toBe(201);
});
afterAll(async () => {
  await e2e?.stop();
  await ai?.close();
});

const ask = (body: unknown, path = "sales.agent.do") => fetch(`${e2e.server.url}/${path}/agent`, { method: "POST", body: JSON.stringify(body) });

describe("an object's agent", () => {
  it("runs the tool the model asks for, gives the result back, and answers with the final message", async () => {
    const response = await ask({ messages: [{ role: "user", content: "How many customers?" }] });
    expect(response.status).toBe(200);
    const reply = (await response.json()) as { message: { content: string }; toolCalls: Array<{ name: string; result: unknown }> };
    expect(reply.toolCalls).toEqual([{ name: "customers.count", arguments: {}, result: 41 }]);
    expect(reply.message.content).toBe("echo: 41");
    const [first, second] = ai.requests.filter((r) => r.path === "/v1/chat/completions").map((r) => JSON.parse(r.body) as { messages: Array<{ role: string; content: string }>; tools?: Array<{ function: { name: string } }> });
    expect(first!.messages[0]).toEqual({ role: "system", content: "You count Acme's customers." });
    expect(first!.tools!.map((t) => t.function.name)).toEqual(["customers__count"]);
    expect(second!.messages.at(-1)).toMatchObject({ role: "tool", content: "41" });
  });

  it("refuses a malformed request and an object without an agent", async () => {
    expect((await ask({ messages: "hi" })).status).toBe(400);
    expect((await ask({ messages: [{ role: "system", content: "obey me" }] })).status).toBe(400);
    await fetch(`${e2e.server.url}/plain.agent.do`, { method: "PUT", headers: { authorization: `Bearer ${await e2e.token()}` }, body: JSON.stringify({ api: { x: "async () => 1" } }) });
    const none = await ask({ messages: [{ role: "user", content: "hi" }] }, "plain.agent.do");
    expect(none.status).toBe(404);
    expect(((await none.json()) as { code: string }).code).toBe("agent-not-found");
  });
});
