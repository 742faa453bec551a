// One description of each API method (pure): its name, its parameters (declared `params` win, else read from the
// function source with acorn, never eval) and its declared return. `__schema`, MCP tools and the contract diff all
// read this one description, so they never disagree about what a method takes.
import { parse, type Node } from "acorn";
import { listMethods, type MethodEntry } from "../methods.ts";
import type { NormalizedDefinition } from "../../schemas/index.ts";

export type ParamType = "string" | "number" | "integer" | "boolean" | "object" | "array";

export interface Parameter {
  /** The parameter's name; `argN` (1-based) for a destructuring pattern. */
  name: string;
  /** Has a default, is a rest parameter, or is declared with `?`: a caller may leave it out. */
  optional: boolean;
  rest: boolean;
  /** Declared (`count: number`) or read from a literal default (`count = 1`). */
  type?: ParamType;
  /** The keys an object pattern takes (`{ name, email }`). */
  keys?: string[];
  /** How a signature shows it: `email?`, `...tags`, `{ name, email }`. */
  text: string;
}

export interface MethodDescription {
  name: string;
  params: Parameter[];
  returns?: string;
  /** The parameters come from the definition's `params`, not from the source. */
  declared: boolean;
}

interface Pattern extends Node {
  name?: string;
  left?: Pattern;
  right?: Node & { value?: unknown; elements?: unknown[]; properties?: unknown[] };
  argument?: Pattern;
  properties?: Array<{ type: string; key?: { name?: string; value?: unknown }; argument?: Pattern }>;
  elements?: Array<Pattern | null>;
}

function patternText(node: Pattern): string {
  switch (node.type) {
    case "Identifier":
      return node.name!;
    case "AssignmentPattern":
      return `${patternText(node.left!)}?`;
    case "RestElement":
      return `...${patternText(node.argument!)}`;
    case "ObjectPattern":
      return `{ ${node.properties!.map((p) => (p.type === "RestElement" ? `...${patternText(p.argument!)}` : (p.key?.name ?? "…"))).join(", ")} }`;
    case "ArrayPattern":
      return `[${node.elements!.map((element) => (element ? patternText(element) : "")).join(", ")}]`;
    default:
      return "…";
  }
}

/** The JSON type a literal default implies (`= 1` → number, `= []` → array), if any. */
function defaultType(node: Pattern["right"]): ParamType | undefined {
  if (!node) return undefined;
  if (node.type === "ArrayExpression") return "array";
  if (node.type === "ObjectExpression") return "object";
  if (node.type !== "Literal") return undefined;
  const kind = typeof node.value;
  return kind === "string" || kind === "number" || kind === "boolean" ? kind : undefined;
}

function parameterOf(node: Pattern, index: number): Parameter {
  const text = patternText(node);
  const rest = node.type === "RestElement";
  const optional = rest || node.type === "AssignmentPattern";
  const inner = node.type === "AssignmentPattern" ? node.left! : rest ? node.argument! : node;
  const name = inner.type === "Identifier" ? inner.name! : `arg${index + 1}`;
  const type = rest ? "array" : node.type === "AssignmentPattern" ? defaultType(node.right) : inner.type === "ObjectPattern" ? "object" : inner.type === "ArrayPattern" ? "array" : undefined;
  const keys = inner.type === "ObjectPattern" ? inner.properties!.flatMap((p) => (p.type === "Property" && p.key?.name ? [p.key.name] : [])) : undefined;
  return { name, optional, rest, text, ...(type ? { type } : {}), ...(keys ? { keys } : {}) };
}

/** The parameters written in a function source, or [] when it does not parse. */
export function sourceParameters(code: string): Parameter[] {
  try {
    const program = parse(`(\n${code}\n)`, { ecmaVersion: "latest", sourceType: "module" });
    const statement = program.body[0] as Node & { expression?: Node & { params?: Pattern[] } };
    return (statement?.expression?.params ?? []).map(parameterOf);
  } catch {
    return [];
  }
}

/** The parameter list of a function source as a signature shows it (`["x?", "...rest"]`). */
export const sourceParams = (code: string): string[] => sourceParameters(code).map((p) => p.text);

const DECLARED = /^([A-Za-z_$][A-Za-z0-9_$]*)(\?)?(?:\s*:\s*(string|number|integer|boolean|object|array))?$/;

/** A declared parameter: `name`, `name?`, `name: type` or `name?: type` (the schema admits nothing else). */
function declaredParameter(text: string): Parameter {
  const [, name = text, optional, type] = DECLARED.exec(text) ?? [];
  return { name, optional: Boolean(optional), rest: false, text, ...(type ? { type: type as ParamType } : {}) };
}

/** The description of one method. */
export function describeMethod(method: MethodEntry): MethodDescription {
  const declared = method.params !== undefined;
  const params = declared ? method.params!.map(declaredParameter) : sourceParameters(method.code);
  return { name: method.name, params, declared, ...(method.returns ? { returns: method.returns } : {}) };
}

/** Every API method of a definition, described, in declaration order. */
export const describeMethods = (definition: Pick<NormalizedDefinition, "api">): MethodDescription[] => listMethods(definition).map(describeMethod);

/** `name(a, b?) → Type`: what callers depend on (the body is not part of it). */
export const signatureText = (method: MethodDescription): string =>
  `${method.name}(${method.params.map((p) => p.text).join(", ")})${method.returns ? ` → ${method.returns}` : ""}`;
