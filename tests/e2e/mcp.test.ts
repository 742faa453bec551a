import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
  const response = await fetch(`${e2e.server.url}/crm.mcp.do`, {
    method: "PUT",
    headers: { authorization: `Bearer ${await e2e.token()}` },
    body: JSON.stringify({
      api: {
        ping: "async () => 'pong'",
        customers: { create: { code: "async (name, email) => $.db.Customer.create({ name, email })", params: ["name", "email"], returns: "Customer" } },
        fail: "async () => { throw new Error('card declined') }",
      },
      site: { "/": "# Acme CRM", "/pricing": "# Pricing\n\nFree." },
      agent: { model: "fast", systemPrompt: "You help Acme's sales team." },
    }),
  });
  expect(response.status).toBe(201);
});
afterAll(async () => {
  await e2e?.stop();
});

async function connect(path = "crm.mcp.do") {
  const client = new Client({ name: "objects-do-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${e2e.server.url}/${path}/mcp`)));
  return client;
}

describe("MCP per object, with the official SDK client", () => {
  it("lists the API methods as tools with their input schemas, and calls one", async () => {
    const client = await connect();
    expect(client.getServerVersion()).toMatchObject({ name: "crm.mcp.do" });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(["customers.create", "fail", "ping"]);
    expect(tools[0]!.inputSchema).toEqual({ type: "object", properties: { name: {}, email: {} }, required: ["name", "email"] });
    const created = await client.callTool({ name: "customers.create", arguments: { name: "Ada", email: "ada@example.com" } });
    expect(created.isError).toBe(false);
    expect(created.structuredContent).toMatchObject({ name: "Ada", email: "ada@example.com", id: expect.any(String) });
    const failed = await client.callTool({ name: "fail", arguments: {} });
    expect(failed.isError).toBe(true);
    expect((failed.content as Array<{ text: string }>)[0]!.text).toContain("card declined");
    await client.close();
  });

  it("serves the site pages as resources and the agent's system prompt as a prompt", async () => {
    const client = await connect("crm.mcp.do@latest");
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.name)).toEqual(["/", "/pricing"]);
    const page = await client.readResource({ uri: resources[1]!.uri });
    expect(page.contents[0]).toMatchObject({ mimeType: "text/markdown", text: "# Pricing\n\nFree." });
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(["system"]);
    const prompt = await client.getPrompt({ name: "system" });
    expect(prompt.messages[0]!.content).toEqual({ type: "text", text: "You help Acme's sales team." });
    await client.close();
  });

  it("answers malformed JSON-RPC with JSON-RPC errors", async () => {
    const post = (body: string) => fetch(`${e2e.server.url}/crm.mcp.do/mcp`, { method: "POST", body, headers: { "content-type": "application/json", accept: "application/json, text/event-stream" } });
    const notJson = await post("{nope");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { code: -32700 } });
    expect(await (await post('{"id":1,"method":"tools/list"}')).json()).toMatchObject({ id: 1, error: { code: -32600 } });
    expect(await (await post('{"jsonrpc":"2.0","id":2,"method":"nope"}')).json()).toMatchObject({ id: 2, error: { code: -32601 } });
    expect(await (await post('{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"missing"}}')).json()).toMatchObject({ id: 3, error: { code: -32602 } });
    expect((await post('{"jsonrpc":"2.0","method":"notifications/initialized"}')).status).toBe(202);
    expect((await fetch(`${e2e.server.url}/crm.mcp.do/mcp`)).status).toBe(405);
  });
});
