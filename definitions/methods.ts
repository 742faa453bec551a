// The API tree of a normalized definition as a flat list of dotted method names (`customers.create`).
import type { ApiNamespace, NormalizedDefinition } from "../schemas/index.ts";
import { isMethodSpec } from "./compile/function-sources.ts";

export interface MethodEntry {
  name: string;
  code: string;
  params?: string[];
  returns?: string;
}

function collect(namespace: ApiNamespace, prefix: string, out: MethodEntry[]): void {
  for (const [key, node] of Object.entries(namespace)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof node === "string") out.push({ name, code: node });
    else if (isMethodSpec(node)) out.push({ name, code: node.code, ...(node.params ? { params: node.params } : {}), ...(node.returns ? { returns: node.returns } : {}) });
    else collect(node as ApiNamespace, name, out);
  }
}

/** Every API method of a definition, in declaration order. */
export function listMethods(definition: Pick<NormalizedDefinition, "api">): MethodEntry[] {
  const out: MethodEntry[] = [];
  if (definition.api) collect(definition.api, "", out);
  return out;
}
