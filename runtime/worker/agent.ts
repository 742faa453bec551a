// An object's agent: `POST /<id>/agent` with chat messages; the model (through $.ai's chat) may call the API methods
// the agent lists as tools, which run as ordinary calls; the final assistant message is the reply.
import type { Agent, NormalizedDefinition } from "../../schemas/index.ts";
import { describeError, ObjectsError } from "../../core/index.ts";
import { describeMethods, type MethodDescription } from "../../definitions/index.ts";
import type { AiService, ChatMessage, ChatTool } from "../services/ai.ts";
import { argumentsFor, toolOf } from "./object-tools.ts";

export const MAX_AGENT_ROUNDS = 5;

// Tool names may hold letters, digits, `_` and `-` only: `customers.create` travels as `customers__create`.
const toolName = (method: string) => method.replaceAll(".", "__");

export interface AgentReply {
  message: ChatMessage;
  toolCalls: Array<{ name: string; arguments: unknown; result?: unknown; error?: string }>;
}

/** The agent's tools: the API methods its `tools` names (all of them when it names none). */
function toolsOf(definition: NormalizedDefinition, agent: Agent): Map<string, MethodDescription> {
  const methods = describeMethods(definition);
  const wanted = agent.tools ? new Set(agent.tools) : undefined;
  return new Map(methods.filter((m) => !wanted || wanted.has(m.name)).map((m) => [toolName(m.name), m]));
}

/** Runs one agent turn: at most MAX_AGENT_ROUNDS model calls, tool calls in between. */
export async function runAgent(definition: NormalizedDefinition, ai: AiService, input: ChatMessage[], call: (method: string, params: unknown[]) => Promise<unknown>): Promise<AgentReply> {
  const agent = definition.agent;
  if (!agent) throw new ObjectsError("agent-not-found", `${definition.$id} has no agent`);
  const tools = toolsOf(definition, agent);
  const chatTools: ChatTool[] = [...tools].map(([name, method]) => {
    const tool = toolOf(method, definition.$id);
    return { type: "function", function: { name, description: tool.description, parameters: tool.inputSchema } };
  });
  const messages: ChatMessage[] = [{ role: "system", content: agent.systemPrompt }, ...input];
  const toolCalls: AgentReply["toolCalls"] = [];
  for (let round = 0; round < MAX_AGENT_ROUNDS; round++) {
    const reply = await ai.chat(messages, chatTools).catch((error: Error) => {
      throw new ObjectsError("ai-unavailable", error.message);
    });
    if (!reply.tool_calls?.length) return { message: reply, toolCalls };
    messages.push(reply);
    for (const request of reply.tool_calls) {
      const method = tools.get(request.function.name);
      let args: unknown = {};
      try {
        args = JSON.parse(request.function.arguments || "{}");
      } catch {
        args = {};
      }
      let content: string;
      if (!method) {
        content = JSON.stringify({ error: `no tool ${request.function.name}` });
        toolCalls.push({ name: request.function.name, arguments: args, error: "no such tool" });
      } else {
        try {
          const result = await call(method.name, argumentsFor(method, args));
          content = JSON.stringify(result);
          toolCalls.push({ name: method.name, arguments: args, result });
        } catch (error) {
          content = JSON.stringify({ error: describeError(error) });
          toolCalls.push({ name: method.name, arguments: args, error: describeError(error) });
        }
      }
      messages.push({ role: "tool", tool_call_id: request.id, content });
    }
  }
  return { message: { role: "assistant", content: "I could not finish within the allowed number of steps." }, toolCalls };
}
