import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";
import { workingCopy, type WorkingCopy } from "../support/git.ts";
import { conformanceUnavailable, GENERIC_SCENARIOS, runScenario } from "../support/mcp-conformance.ts";

let e2e: E2E;
let repo: WorkingCopy;
beforeAll(async () => {
  e2e = await startE2E();
  // The README's method file, published by git push: tools from files are described like inline ones.
  repo = await workingCopy({ remote: `${e2e.server.url}/_/git/mcp-files.git`, token: await e2e.token() });
  await repo.commit("crm", {
    "files.mcp.do/do.json": '{ "$id": "files.mcp.do" }\n',
    "files.mcp.do/api/customers/create.js": "export default async (data) => $.db.Customer.create(data)\n",
    "files.mcp.do/api/customers/rename.js": "export default async (id, { name }) => $.db.Customer.update(id, { name })\n",
  });
  expect((await repo.git("push", "objects", "main")).code).toBe(0);
  const response = await fetch(`${e2e.server.url}/crm.mcp.do`, {
    method: "PUT",
    headers: { authorization: `Bearer ${await e2e.token()}` },
    body: JSON.stringify({
      api: {
        ping: "async () => 'pong'",
        greet: "async (name, punctuation = '.') => `hi ${name}${punctuation}`",
        tag: "async (label, ...tags) => [label, ...tags]",
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
  repo?.remove();
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
    expect(tools.map((tool) => tool.name)).toEqual(["customers.create", "fail", "greet", "ping", "tag"]);
    expect(tools[0]!.inputSchema).toEqual({ type: "object", properties: { name: { description: "name" }, email: { description: "email" } }, required: ["name", "email"] });
    const created = await client.callTool({ name: "customers.create", arguments: { name: "Ada", email: "ada@example.com" } });
    expect(created.isError).toBe(false);
    expect(created.structuredContent).toMatchObject({ name: "Ada", email: "ada@example.com", id: expect.any(String) });
    const failed = await client.callTool({ name: "fail", arguments: {} });
    expect(failed.isError).toBe(true);
    expect((failed.content as Array<{ text: string }>)[0]!.text).toContain("card declined");
    await client.close();
  });

  it("maps named arguments onto an inline method's parameters, with types from literal defaults", async () => {
    const client = await connect();
    const greet = (await client.listTools()).tools.find((tool) => tool.name === "greet")!;
    expect(greet.inputSchema).toEqual({ type: "object", properties: { name: { description: "name" }, punctuation: { type: "string", description: "punctuation?" } }, required: ["name"] });
    const named = await client.callTool({ name: "greet", arguments: { name: "Ada", punctuation: "!" } });
    expect(named).toMatchObject({ isError: false, content: [{ type: "text", text: '"hi Ada!"' }] });
    expect(await client.callTool({ name: "greet", arguments: { name: "Ada" } })).toMatchObject({ content: [{ text: '"hi Ada."' }] });
    expect(await client.callTool({ name: "greet", arguments: { params: ["Bo", "?"] } })).toMatchObject({ content: [{ text: '"hi Bo?"' }] });
    expect(await client.callTool({ name: "tag", arguments: { label: "a", tags: ["b", "c"] } })).toMatchObject({ content: [{ text: '["a","b","c"]' }] });
    // Unknown and missing arguments are the tool's error, not a silently wrong call.
    const unknown = await client.callTool({ name: "greet", arguments: { nom: "Ada" } });
    expect(unknown.isError).toBe(true);
    expect((unknown.content as Array<{ text: string }>)[0]!.text).toMatch(/greet has no argument nom; it takes greet\(name, punctuation\?\)/);
    const missing = await client.callTool({ name: "greet", arguments: { punctuation: "!" } });
    expect((missing.content as Array<{ text: string }>)[0]!.text).toMatch(/greet needs name/);
    await client.close();
  });

  it("describes method files from git push, and passes a lone parameter the named arguments it does not name", async () => {
    const client = await connect("files.mcp.do");
    const { tools } = await client.listTools();
    expect(tools.map((tool) => [tool.name, tool.inputSchema])).toEqual([
      ["customers.create", { type: "object", properties: { data: { description: "data" } }, required: ["data"] }],
      ["customers.rename", { type: "object", properties: { id: { description: "id" }, arg2: { type: "object", description: "{ name }" } }, required: ["id", "arg2"] }],
    ]);
    const created = await client.callTool({ name: "customers.create", arguments: { name: "Ada" } });
    expect(created.structuredContent).toMatchObject({ name: "Ada", id: expect.any(String) });
    const wrapped = await client.callTool({ name: "customers.create", arguments: { data: { name: "Bo" } } });
    expect(wrapped.structuredContent).toMatchObject({ name: "Bo" });
    const schema = (await (await fetch(`${e2e.server.url}/files.mcp.do/__schema`)).json()) as { methods: Array<{ name: string; params: string[]; signature: string }> };
    expect(schema.methods.map((m) => [m.signature, m.params])).toEqual([["customers.create(data)", ["data"]], ["customers.rename(id, { name })", ["id", "{ name }"]]]);
    await client.close();
  });

  it("completes method names for the method prompt, and page paths", async () => {
    const client = await connect();
    expect((await client.complete({ ref: { type: "ref/prompt", name: "method" }, argument: { name: "name", value: "cu" } })).completion.values).toEqual(["customers.create"]);
    expect((await client.complete({ ref: { type: "ref/resource", uri: "x" }, argument: { name: "path", value: "/p" } })).completion.values).toEqual(["/pricing"]);
    expect((await client.complete({ ref: { type: "ref/prompt", name: "nope" }, argument: { name: "x", value: "" } })).completion.values).toEqual([]);
    await client.setLoggingLevel("info");
    const prompt = await client.getPrompt({ name: "method", arguments: { name: "greet" } });
    expect((prompt.messages[0]!.content as { text: string }).text).toContain("greet(name, punctuation?)");
    await client.close();
  });

  it.skipIf(conformanceUnavailable() !== null)("passes the official conformance suite's generic server scenarios", async () => {
    const runs = [];
    for (const scenario of GENERIC_SCENARIOS) runs.push({ scenario, ...(await runScenario(`${e2e.server.url}/crm.mcp.do/mcp`, scenario)) });
    const failed = runs.filter((run) => !run.passed);
    expect(failed.map((run) => `${run.scenario}\n${run.output.slice(-2000)}`)).toEqual([]);
  }, 300_000);

  it("serves the site pages as resources and the agent's system prompt as a prompt", async () => {
    const client = await connect("crm.mcp.do@latest");
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.name)).toEqual(["/", "/pricing"]);
    const page = await client.readResource({ uri: resources[1]!.uri });
    expect(page.contents[0]).toMatchObject({ mimeType: "text/markdown", text: "# Pricing\n\nFree." });
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(["system", "method"]);
    const prompt = await client.getPrompt({ name: "system" });
    expect(prompt.messages[0]!.content).toEqual({ type: "text", text: "You help Acme's sales team." });
    await client.close();
  });

  it("answers malformed JSON-RPC with JSON-RPC errors", async () => {
    const post = (body: string) => fetch(`${e2e.server.url}/crm.mcp.do/mcp`, { method: "POST", body, headers: { "content-type": "application/json", accept: "application/json, text/event-stream" } });
    const notJson = await post("{nope");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { code: -32700 } });
    // The SDK's transport answers a message that is not JSON-RPC 2.0 as a parse error.
    expect(await (await post('{"id":1,"method":"tools/list"}')).json()).toMatchObject({ error: { code: -32700 } });
    expect(await (await post('{"jsonrpc":"2.0","id":2,"method":"nope"}')).json()).toMatchObject({ id: 2, error: { code: -32601 } });
    expect(await (await post('{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"missing"}}')).json()).toMatchObject({ id: 3, error: { code: -32602 } });
    expect((await post('{"jsonrpc":"2.0","method":"notifications/initialized"}')).status).toBe(202);
    expect((await fetch(`${e2e.server.url}/crm.mcp.do/mcp`)).status).toBe(405);
  });
});
