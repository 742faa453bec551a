// An object's API methods as tools (MCP's shape): a name, a description, a JSON Schema of the input made from the
// method's description, and the mapping of a tool's named arguments onto the method's positional parameters.
import { describeMethods, signatureText, type MethodDescription, type Parameter } from "../../definitions/index.ts";
import { ObjectsError } from "../../core/index.ts";
import type { NormalizedDefinition } from "../../schemas/index.ts";

export interface Tool {
  name: string;
  description: string;
  inputSchema: { type: "object"; properties: Record<string, unknown>; required?: string[]; additionalProperties?: boolean };
}

/** A lone object-pattern parameter (`({ name, email }) => …`): the tool's arguments are that object. */
const takesArgumentsObject = (method: MethodDescription) => method.params.length === 1 && method.params[0]!.keys !== undefined;

const propertyOf = (param: Parameter) => ({ ...(param.type ? { type: param.type } : {}), description: param.text });

/** The tool of one method: a property per parameter (typed where declared or defaulted), required unless optional. */
export function toolOf(method: MethodDescription, objectId: string): Tool {
  const description = `${objectId} ${signatureText(method)}`;
  if (takesArgumentsObject(method)) {
    return { name: method.name, description, inputSchema: { type: "object", properties: Object.fromEntries(method.params[0]!.keys!.map((key) => [key, {}])) } };
  }
  const required = method.params.filter((p) => !p.optional).map((p) => p.name);
  return {
    name: method.name,
    description,
    inputSchema: { type: "object", properties: Object.fromEntries(method.params.map((p) => [p.name, propertyOf(p)])), ...(required.length ? { required } : {}) },
  };
}

/** Every API method of a definition as a tool. */
export const toolsOf = (definition: NormalizedDefinition): Tool[] => describeMethods(definition).map((method) => toolOf(method, definition.$id));

/** The description of one method by name, or undefined. */
export const methodNamed = (definition: NormalizedDefinition, name: string) => describeMethods(definition).find((m) => m.name === name);

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * A tool's input as the method's positional params. Named arguments map by parameter name; `{ "params": [...] }` (or
 * an array) stays positional; a method of one parameter whose name the input does not use takes the whole input as
 * that parameter (`(data) => create(data)` called with `{ name: "Ada" }`). Unknown or missing arguments are refused.
 */
export function argumentsFor(method: MethodDescription, input: unknown): unknown[] {
  const args = input ?? {};
  if (Array.isArray(args)) return args;
  if (!isRecord(args)) throw new ObjectsError("tool-arguments-invalid", `${method.name} takes an object of named arguments`);
  const names = new Set(method.params.map((p) => p.name));
  const keys = Object.keys(args);
  if (keys.length === 1 && keys[0] === "params" && Array.isArray(args.params) && !names.has("params")) return args.params;
  if (takesArgumentsObject(method)) return [args];
  const only = method.params.length === 1 && !method.params[0]!.rest ? method.params[0]! : undefined;
  if (only && keys.length > 0 && !keys.includes(only.name)) return [args];
  const unknown = keys.filter((key) => !names.has(key));
  if (unknown.length) throw new ObjectsError("tool-arguments-invalid", `${method.name} has no argument ${unknown.join(", ")}; it takes ${signatureText(method)}`);
  const missing = method.params.filter((p) => !p.optional && !(p.name in args)).map((p) => p.name);
  if (missing.length) throw new ObjectsError("tool-arguments-invalid", `${method.name} needs ${missing.join(", ")}; it takes ${signatureText(method)}`);
  const positional: unknown[] = [];
  for (const param of method.params) {
    if (param.rest) {
      const value = args[param.name];
      if (value !== undefined && !Array.isArray(value)) throw new ObjectsError("tool-arguments-invalid", `${method.name}: ${param.name} is a list`);
      positional.push(...((value as unknown[] | undefined) ?? []));
    } else positional.push(args[param.name]);
  }
  while (positional.length && positional.at(-1) === undefined) positional.pop();
  return positional;
}
