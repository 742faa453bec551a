// A method's signature as a person reads it: `create(name, email?) → Customer`. Declared `params` win; otherwise the
// parameter list is read from the function source (acorn, never eval).
import { parse, type Node } from "acorn";
import type { MethodEntry } from "../methods.ts";

interface Pattern extends Node {
  name?: string;
  left?: Pattern;
  argument?: Pattern;
  properties?: Array<{ type: string; key?: { name?: string }; argument?: Pattern }>;
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

/** The parameter list written in a function source (`(name, { email }, ...rest)`), or [] when it does not parse. */
export function sourceParams(code: string): string[] {
  try {
    const program = parse(`(\n${code}\n)`, { ecmaVersion: "latest", sourceType: "module" });
    const statement = program.body[0] as Node & { expression?: Node & { params?: Pattern[] } };
    return (statement?.expression?.params ?? []).map(patternText);
  } catch {
    return [];
  }
}

/** `name(a, b?) → Type`: what callers depend on (the body is not part of it). */
export function signatureOf(method: MethodEntry): string {
  const params = method.params ?? sourceParams(method.code);
  return `${method.name}(${params.join(", ")})${method.returns ? ` → ${method.returns}` : ""}`;
}
