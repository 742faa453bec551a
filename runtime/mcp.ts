// MCP per object over Streamable HTTP (stateless, JSON responses): tools are the API methods, resources the site
// pages, prompts the agent's system prompt. JSON-RPC 2.0 by hand: the protocol's server side is small.
import type { NormalizedDefinition } from "../schemas/index.ts";
import { describeError } from "../core/index.ts";
import { listMethods } from "../definitions/index.ts";
import { paramsOf, toolsOf } from "./object-tools.ts";

export const MCP_PROTOCOL_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

type JsonRpcId = string | number | null;
type JsonRpcRequest = { jsonrpc?: unknown; id?: JsonRpcId; method?: unknown; params?: Record<string, unknown> };
type JsonRpcResponse = { jsonrpc: "2.0"; id: JsonRpcId; result?: unknown; error?: { code: number; message: string } };

export interface McpContext {
  definition: NormalizedDefinition;
  hash: string;
  /** Where the object answers, for resource URIs (`https://objects.do/crm.acme.com@v1`). */
  base: string;
  /** Runs one API method; throws with the failure's message. */
  call(method: string, params: unknown[]): Promise<unknown>;
}

const error = (id: JsonRpcId, code: number, message: string): JsonRpcResponse => ({ jsonrpc: "2.0", id, error: { code, message } });
const pageUri = (base: string, path: string) => `${base}${path === "/" ? "/" : path}`;

async function answer(context: McpContext, request: JsonRpcRequest): Promise<JsonRpcResponse | null> {
  const id = request.id ?? null;
  if (request.jsonrpc !== "2.0" || typeof request.method !== "string") return error(id, -32600, "invalid request: a JSON-RPC 2.0 message has jsonrpc \"2.0\" and a method");
  // Notifications (no id) get no answer.
  if (request.id === undefined) return null;
  const { definition } = context;
  const params = request.params ?? {};
  switch (request.method) {
    case "initialize": {
      const asked = String(params.protocolVersion ?? "");
      return {
        jsonrpc: "2.0",
        id,
        result: {
          protocolVersion: MCP_PROTOCOL_VERSIONS.includes(asked) ? asked : MCP_PROTOCOL_VERSIONS[0],
          capabilities: { tools: {}, resources: {}, prompts: {} },
          serverInfo: { name: definition.$id, version: context.hash.slice(0, 12) },
        },
      };
    }
    case "ping":
      return { jsonrpc: "2.0", id, result: {} };
    case "tools/list":
      return { jsonrpc: "2.0", id, result: { tools: toolsOf(definition) } };
    case "tools/call": {
      const name = String(params.name ?? "");
      const method = listMethods(definition).find((m) => m.name === name);
      if (!method) return error(id, -32602, `no tool ${name}`);
      try {
        const value = await context.call(name, paramsOf(method, params.arguments));
        const structured = value !== null && typeof value === "object" && !Array.isArray(value) ? { structuredContent: value } : {};
        return { jsonrpc: "2.0", id, result: { content: [{ type: "text", text: JSON.stringify(value) }], ...structured, isError: false } };
      } catch (failure) {
        return { jsonrpc: "2.0", id, result: { content: [{ type: "text", text: describeError(failure) }], isError: true } };
      }
    }
    case "resources/list": {
      const pages = Object.keys(definition.site ?? {});
      return { jsonrpc: "2.0", id, result: { resources: pages.map((path) => ({ uri: pageUri(context.base, path), name: path, mimeType: "text/markdown" })) } };
    }
    case "resources/read": {
      const uri = String(params.uri ?? "");
      const path = Object.keys(definition.site ?? {}).find((p) => pageUri(context.base, p) === uri);
      if (!path) return error(id, -32002, `no resource ${uri}`);
      return { jsonrpc: "2.0", id, result: { contents: [{ uri, mimeType: "text/markdown", text: definition.site![path] }] } };
    }
    case "prompts/list":
      return { jsonrpc: "2.0", id, result: { prompts: definition.agent ? [{ name: "system", description: `The system prompt of ${definition.$id}'s agent` }] : [] } };
    case "prompts/get": {
      if (!definition.agent || params.name !== "system") return error(id, -32602, `no prompt ${String(params.name)}`);
      return { jsonrpc: "2.0", id, result: { description: `${definition.$id} agent`, messages: [{ role: "user", content: { type: "text", text: definition.agent.systemPrompt } }] } };
    }
    default:
      return error(id, -32601, `no method ${request.method}`);
  }
}

/** Answers one HTTP request to `/<id>[@ref]/mcp`: POST carries one JSON-RPC message or a batch. */
export async function handleMcp(request: Request, context: McpContext): Promise<Response> {
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  if (request.method === "GET") return new Response(null, { status: 405, headers: { allow: "POST" } });
  if (request.method === "DELETE") return new Response(null, { status: 200 });
  if (request.method !== "POST") return new Response(null, { status: 405, headers: { allow: "POST" } });
  let body: unknown;
  try {
    const text = await request.text();
    if (text.length > 1_048_576) return json(error(null, -32600, "the message is larger than 1 MiB"), 413);
    body = JSON.parse(text);
  } catch {
    return json(error(null, -32700, "parse error: the body is not JSON"), 400);
  }
  const messages = Array.isArray(body) ? body : [body];
  if (messages.length === 0 || messages.length > 50 || messages.some((m) => m === null || typeof m !== "object")) return json(error(null, -32600, "invalid request"), 400);
  const answers = (await Promise.all(messages.map((m) => answer(context, m as JsonRpcRequest)))).filter((a): a is JsonRpcResponse => a !== null);
  if (answers.length === 0) return new Response(null, { status: 202 });
  return json(Array.isArray(body) ? answers : answers[0]);
}
