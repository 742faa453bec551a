// ai.do: text generation and embeddings through Workers AI (the AI binding) or any OpenAI-compatible endpoint.
import { fetchWithDeadline } from "../../core/index.ts";

export interface AiConfig {
  /** Workers AI, in production. */
  binding?: { run(model: string, input: Record<string, unknown>): Promise<unknown> };
  /** An OpenAI-compatible API root (`https://api.openai.com/v1`, a local server…), by configuration. */
  baseUrl?: string;
  apiKey?: string;
  model?: string;
  embedModel?: string;
  fetch?: typeof fetch;
}

/** No provider, or the provider failed: surfaces as the method's own error. */
export class AiError extends Error {
  override name = "AiError";
}

export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string | null;
  tool_calls?: Array<{ id: string; type: "function"; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
  name?: string;
}

export interface ChatTool {
  type: "function";
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

const WORKERS_AI_MODEL = "@cf/meta/llama-3.1-8b-instruct";
const WORKERS_AI_EMBED = "@cf/baai/bge-base-en-v1.5";

/** The AI service; `generate` and `embed` for definitions, `chat` (with tools) for agents. */
export function aiService(config: AiConfig) {
  const post = async (path: string, body: Record<string, unknown>) => {
    const send = config.fetch ?? fetchWithDeadline("ai");
    const response = await send(`${config.baseUrl!.replace(/\/$/, "")}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}) },
      body: JSON.stringify(body),
    }).catch(() => null);
    if (!response?.ok) throw new AiError(`the AI provider ${response ? `answered ${response.status}` : "did not answer"}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const none = () => new AiError("no AI provider is configured: set AI_BASE_URL (any OpenAI-compatible API) or bind Workers AI as AI");

  const service = {
    /** One chat turn: the assistant's message, possibly asking for tool calls. */
    async chat(messages: ChatMessage[], tools: ChatTool[] = [], model?: string): Promise<ChatMessage> {
      if (config.baseUrl) {
        const answer = await post("/chat/completions", { model: model ?? config.model ?? "gpt-4o-mini", messages, ...(tools.length ? { tools } : {}) });
        const message = (answer.choices as Array<{ message: ChatMessage }> | undefined)?.[0]?.message;
        if (!message) throw new AiError("the AI provider answered without a message");
        return message;
      }
      if (config.binding) {
        const answer = (await config.binding.run(model ?? config.model ?? WORKERS_AI_MODEL, { messages, ...(tools.length ? { tools } : {}) })) as { response?: string; tool_calls?: Array<{ name: string; arguments: unknown }> };
        return {
          role: "assistant",
          content: answer.response ?? null,
          ...(answer.tool_calls?.length ? { tool_calls: answer.tool_calls.map((call, i) => ({ id: `call_${i}`, type: "function" as const, function: { name: call.name, arguments: JSON.stringify(call.arguments ?? {}) } })) } : {}),
        };
      }
      throw none();
    },

    /** Text for a prompt. */
    async generate(prompt: string, options: { system?: string; model?: string } = {}): Promise<string> {
      const messages: ChatMessage[] = [...(options.system ? [{ role: "system" as const, content: options.system }] : []), { role: "user", content: String(prompt) }];
      return (await service.chat(messages, [], options.model)).content ?? "";
    },

    /** An embedding vector of a text. */
    async embed(text: string): Promise<number[]> {
      if (config.baseUrl) {
        const answer = await post("/embeddings", { model: config.embedModel ?? "text-embedding-3-small", input: String(text) });
        const vector = (answer.data as Array<{ embedding: number[] }> | undefined)?.[0]?.embedding;
        if (!vector) throw new AiError("the AI provider answered without an embedding");
        return vector;
      }
      if (config.binding) {
        const answer = (await config.binding.run(config.embedModel ?? WORKERS_AI_EMBED, { text: [String(text)] })) as { data?: number[][] };
        return answer.data?.[0] ?? [];
      }
      throw none();
    },
  };
  return service;
}

export type AiService = ReturnType<typeof aiService>;
