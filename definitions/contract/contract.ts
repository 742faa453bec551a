// The contract of one definition (pure): what callers and users of the object can depend on, by surface.
import type { NormalizedDefinition, SurfaceKind } from "../../schemas/index.ts";
import { listMethods } from "../methods.ts";
import { signatureOf } from "./signature.ts";

export type { SurfaceKind };

/** One member of a surface: the part callers depend on (`signature`) and the whole of it (`body`). */
export interface Member {
  signature: string;
  body: string;
}

export type Contract = Record<SurfaceKind, Map<string, Member>>;

const members = (entries: Array<[string, Member]>) => new Map(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Every surface of a definition: API methods, the MCP tools made of them, event handlers, schedules, pages, the agent's prompt. */
export function contractOf(definition: NormalizedDefinition): Contract {
  const methods = listMethods(definition);
  const { agent } = definition;
  return {
    method: members(methods.map((m) => [m.name, { signature: signatureOf(m), body: m.code }])),
    // MCP tools take named arguments, so a renamed parameter changes a tool even where positional RPC is unaffected.
    tool: members(methods.map((m) => [m.name, { signature: signatureOf(m), body: signatureOf(m) }])),
    event: members(Object.entries(definition.events ?? {}).map(([pattern, code]) => [pattern, { signature: pattern, body: code }])),
    schedule: members(Object.entries(definition.schedules ?? {}).map(([pattern, code]) => [pattern, { signature: pattern, body: code }])),
    page: members([
      ...Object.entries(definition.site ?? {}).map(([path, text]): [string, Member] => [`site ${path}`, { signature: `site ${path}`, body: text }]),
      ...Object.entries(definition.app ?? {}).map(([path, text]): [string, Member] => [`app ${path}`, { signature: `app ${path}`, body: text }]),
    ]),
    prompt: members(agent ? [["agent", { signature: `agent (tools: ${(agent.tools ?? []).join(", ") || "none"})`, body: agent.systemPrompt }]] : []),
  };
}
