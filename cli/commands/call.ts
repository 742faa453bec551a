// `objects call <id[@ref]> <method> [params…]`: one RPC call; each param is JSON when it parses, else a string.
import type { CallResponse } from "../../schemas/index.ts";
import { objectPath, request } from "../api.ts";
import type { Command } from "../command.ts";
import { serverUrl, storedToken } from "../settings.ts";

export function paramOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const call: Command = {
  usage: "call <id[@ref]> <method> [params…]",
  summary: "call a method: params are JSON ('{\"name\":\"Ada\"}', 42, '\"text\"') or plain strings",
  required: 2,
  async run({ positionals, values, out }) {
    const [target, method, ...params] = positionals as [string, string, ...string[]];
    const token = storedToken();
    const url = serverUrl(values.url as string | undefined);
    const answer = await request<CallResponse>({ url, ...(token ? { token } : {}) }, "POST", `${objectPath(target)}/rpc`, { method, params: params.map(paramOf) });
    out.result(JSON.stringify(answer.result, null, 2) ?? "undefined", answer);
  },
};
