// The contract of one definition (pure): what callers and users of the object can depend on, by surface.
import type { NormalizedDefinition, SurfaceKind } from "../../schemas/index.ts";
import { listMethods } from "../methods.ts";
import { describeMethods, signatureText, type MethodDescription } from "./describe-method.ts";

export type { SurfaceKind };

/** One member of a surface: the part callers depend on (`signature`), the whole of it (`body`), a method's description. */
export interface Member {
  signature: string;
  body: string;
  method?: MethodDescription;
}

export type Contract = Record<SurfaceKind, Map<string, Member>>;

const members = (entries: Array<[string, Member]>) => new Map(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Every surface of a definition: API methods, the MCP tools made of them, event handlers, schedules, pages, the agent's prompt. */
export function contractOf(definition: NormalizedDefinition): Contract {
  const methods = describeMethods(definition);
  const code = new Map(listMethods(definition).map((m) => [m.name, m.code]));
  const { agent } = definition;
  return {
    method: members(methods.map((m) => [m.name, { signature: signatureText(m), body: code.get(m.name)!, method: m }])),
    // MCP tools take named arguments, so a renamed parameter changes a tool even where positional RPC is unaffected.
    tool: members(methods.map((m) => [m.name, { signature: signatureText(m), body: signatureText(m), method: m }])),
    event: members(Object.entries(definition.events ?? {}).map(([pattern, code]) => [pattern, { signature: pattern, body: code }])),
    schedule: members(Object.entries(definition.schedules ?? {}).map(([pattern, code]) => [pattern, { signature: pattern, body: code }])),
    page: members([
      ...Object.entries(definition.site ?? {}).map(([path, text]): [string, Member] => [`site ${path}`, { signature: `site ${path}`, body: text }]),
      ...Object.entries(definition.app ?? {}).map(([path, text]): [string, Member] => [`app ${path}`, { signature: `app ${path}`, body: text }]),
    ]),
    prompt: members(agent ? [["agent", { signature: `agent (tools: ${(agent.tools ?? []).join(", ") || "none"})`, body: agent.systemPrompt }]] : []),
  };
}
