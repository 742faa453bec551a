// An object's API methods as tools (MCP's shape): a name, a description, a JSON Schema of the input, and a call.
import { listMethods, type MethodEntry } from "../definitions/index.ts";
import type { NormalizedDefinition } from "../schemas/index.ts";

export interface Tool {
  name: string;
  description: string;
  inputSchema: { type: "object"; properties: Record<string, unknown>; required?: string[]; additionalProperties?: boolean };
}

/** The tool of one method: declared `params` become named properties; otherwise the input is `{ params: [...] }`. */
export function toolOf(method: MethodEntry, objectId: string): Tool {
  const description = `${objectId} ${method.name}${method.returns ? ` → ${method.returns}` : ""}`;
  if (method.params?.length) {
    return { name: method.name, description, inputSchema: { type: "object", properties: Object.fromEntries(method.params.map((p) => [p, {}])), required: method.params } };
  }
  return { name: method.name, description, inputSchema: { type: "object", properties: { params: { type: "array", description: "positional arguments" } } } };
}

/** Every API method of a definition as a tool. */
export function toolsOf(definition: NormalizedDefinition): Tool[] {
  return listMethods(definition).map((method) => toolOf(method, definition.$id));
}

/** A tool's input as the method's positional params. */
export function paramsOf(method: MethodEntry | undefined, input: unknown): unknown[] {
  const args = (input ?? {}) as Record<string, unknown>;
  if (method?.params?.length) return method.params.map((name) => args[name]);
  return Array.isArray(args.params) ? args.params : [];
}
