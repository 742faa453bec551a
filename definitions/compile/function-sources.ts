// Finds every function source in a (possibly invalid) definition: API methods, event and schedule handlers, components,
// a preview's redact step.
import { looksLikeMethodSpec, type Issue } from "../../schemas/index.ts";
import { pointerSegment } from "../../core/index.ts";

export const MAX_NAMESPACE_DEPTH = 8;

export interface LocatedSource {
  /** JSON pointer of the source string, e.g. `/api/customers/create` or `/api/ping/code`. */
  pointer: string;
  source: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** A `{code, params, returns}` method spec (the schema's rule): `code` is a string and no other key is foreign. */
export function isMethodSpec(value: unknown): value is { code: string; params?: string[]; returns?: string } {
  return looksLikeMethodSpec(value);
}

function walkApi(node: Record<string, unknown>, pointer: string, depth: number, out: LocatedSource[], issues: Issue[]): void {
  for (const [name, value] of Object.entries(node)) {
    const here = `${pointer}/${pointerSegment(name)}`;
    if (typeof value === "string") out.push({ pointer: here, source: value });
    else if (isMethodSpec(value)) out.push({ pointer: `${here}/code`, source: value.code });
    else if (isRecord(value)) {
      if (depth >= MAX_NAMESPACE_DEPTH) {
        issues.push({ path: here, code: "namespace-too-deep", message: `namespaces nest at most ${MAX_NAMESPACE_DEPTH} levels` });
      } else walkApi(value, here, depth + 1, out, issues);
    }
  }
}

/** Every function source with its pointer, plus issues for namespaces nested deeper than allowed. */
export function functionSources(definition: Record<string, unknown>): { sources: LocatedSource[]; issues: Issue[] } {
  const sources: LocatedSource[] = [];
  const issues: Issue[] = [];
  if (isRecord(definition.api)) walkApi(definition.api, "/api", 0, sources, issues);
  for (const section of ["events", "schedules", "components"] as const) {
    const handlers = definition[section];
    if (!isRecord(handlers)) continue;
    for (const [pattern, source] of Object.entries(handlers)) {
      if (typeof source === "string") sources.push({ pointer: `/${section}/${pointerSegment(pattern)}`, source });
    }
  }
  const redact = isRecord(definition.preview) ? definition.preview.redact : undefined;
  if (typeof redact === "string") sources.push({ pointer: "/preview/redact", source: redact });
  return { sources, issues };
}
