// MCP per object over Streamable HTTP, served by the official SDK's server on its web-standard transport (stateless,
// JSON responses: one Server per request, nothing held between requests). Tools are the API methods, resources the
// site pages, prompts the agent's system prompt and one prompt per method; completion offers method names and pages.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { NormalizedDefinition } from "../../schemas/index.ts";
import { describeError } from "../../core/index.ts";
import { describeMethods, signatureText } from "../../definitions/index.ts";
import { argumentsFor, toolOf, toolsOf } from "./object-tools.ts";
import { unusedValidator } from "./mcp-validator.ts";

export interface McpContext {
  definition: NormalizedDefinition;
  hash: string;
  /** Where the object answers, for resource URIs (`https://objects.do/crm.acme.com@v1`). */
  base: string;
  /** Runs one API method; throws with the failure's message. */
  call(method: string, params: unknown[]): Promise<unknown>;
}

const MAX_MESSAGE_BYTES = 1_048_576;
const MAX_COMPLETIONS = 100;
const pageUri = (base: string, path: string) => `${base}${path === "/" ? "/" : path}`;
const text = (value: string) => ({ type: "text" as const, text: value });

/** The values among `candidates` that start with what was typed, as MCP's completion result. */
function completion(candidates: string[], typed: string) {
  const values = candidates.filter((candidate) => candidate.startsWith(typed));
  return { completion: { values: values.slice(0, MAX_COMPLETIONS), total: values.length, hasMore: values.length > MAX_COMPLETIONS } };
}

function serverFor(context: McpContext): Server {
  const { definition } = context;
  const methods = describeMethods(definition);
  const pages = Object.keys(definition.site ?? {});
  const server = new Server(
    { name: definition.$id, version: context.hash.slice(0, 12) },
    { capabilities: { tools: {}, resources: {}, prompts: {}, logging: {}, completions: {} }, jsonSchemaValidator: unusedValidator },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: toolsOf(definition) }));
  server.setRequestHandler(CallToolRequestSchema, async ({ params }) => {
    const method = methods.find((m) => m.name === params.name);
    if (!method) throw new McpError(ErrorCode.InvalidParams, `no tool ${params.name}`);
    try {
      const value = await context.call(method.name, argumentsFor(method, params.arguments));
      const structured = value !== null && typeof value === "object" && !Array.isArray(value) ? { structuredContent: value as Record<string, unknown> } : {};
      return { content: [text(JSON.stringify(value))], ...structured, isError: false };
    } catch (failure) {
      // A failed call is the tool's answer (the model reads it and may correct itself), not a protocol error.
      return { content: [text(describeError(failure))], isError: true };
    }
  });
  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: pages.map((path) => ({ uri: pageUri(context.base, path), name: path, mimeType: "text/markdown" })) }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: pages.length ? [{ uriTemplate: `${context.base}{+path}`, name: "page", description: `a site page of ${definition.$id}`, mimeType: "text/markdown" }] : [],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, ({ params }) => {
    const path = pages.find((p) => pageUri(context.base, p) === params.uri);
    if (!path) throw new McpError(-32002, `no resource ${params.uri}`);
    return { contents: [{ uri: params.uri, mimeType: "text/markdown", text: definition.site![path]! }] };
  });
  server.setRequestHandler(ListPromptsRequestSchema, () => ({
    prompts: [
      ...(definition.agent ? [{ name: "system", description: `The system prompt of ${definition.$id}'s agent` }] : []),
      ...(methods.length ? [{ name: "method", description: `How to call one of ${definition.$id}'s methods`, arguments: [{ name: "name", description: "the method", required: true }] }] : []),
    ],
  }));
  server.setRequestHandler(GetPromptRequestSchema, ({ params }) => {
    if (params.name === "system" && definition.agent) {
      return { description: `${definition.$id} agent`, messages: [{ role: "user" as const, content: text(definition.agent.systemPrompt) }] };
    }
    const method = params.name === "method" ? methods.find((m) => m.name === params.arguments?.name) : undefined;
    if (!method) throw new McpError(ErrorCode.InvalidParams, `no prompt ${params.name}${params.name === "method" ? ` for method ${String(params.arguments?.name)}` : ""}`);
    const tool = toolOf(method, definition.$id);
    return { description: signatureText(method), messages: [{ role: "user" as const, content: text(`Call the tool ${tool.name} of ${definition.$id}: ${signatureText(method)}. Its input: ${JSON.stringify(tool.inputSchema)}`) }] };
  });
  server.setRequestHandler(CompleteRequestSchema, ({ params }) => {
    const typed = params.argument.value;
    if (params.ref.type === "ref/prompt" && params.ref.name === "method" && params.argument.name === "name") return completion(methods.map((m) => m.name), typed);
    if (params.ref.type === "ref/resource" && params.argument.name === "path") return completion(pages, typed);
    return completion([], typed);
  });
  return server;
}

/** Answers one HTTP request to `/<id>[@ref]/mcp` (no session id generator: stateless). */
export async function handleMcp(request: Request, context: McpContext): Promise<Response> {
  // Stateless JSON responses: no stream for the server to speak on later (GET), no session to end (DELETE).
  if (request.method !== "POST") return new Response(null, { status: 405, headers: { allow: "POST" } });
  const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true, maxRequestBodySize: MAX_MESSAGE_BYTES });
  const server = serverFor(context);
  await server.connect(transport);
  try {
    return await transport.handleRequest(request);
  } finally {
    await server.close();
  }
}
