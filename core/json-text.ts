// Guards for JSON that arrives from outside: nesting depth before parsing, forbidden keys after.
import type { Issue } from "../schemas/index.ts";
import { ObjectsError } from "./errors.ts";

export const MAX_JSON_DEPTH = 64;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** The deepest nesting of `[`/`{` in JSON text, scanning linearly and skipping strings (no recursion). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) deepest = Math.max(deepest, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}

/** Parses JSON from outside: 422 `max-depth` past `maxDepth` (checked before parsing), 400 `json-invalid` on syntax. */
export function parseJsonText(text: string, what: string, maxDepth = MAX_JSON_DEPTH): unknown {
  if (jsonDepth(text) > maxDepth) {
    throw new ObjectsError("max-depth", `${what} nests deeper than ${maxDepth} levels`, {
      issues: [{ path: "", code: "max-depth", message: `nesting deeper than ${maxDepth} levels` }],
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ObjectsError("json-invalid", `${what} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(key: string | number): string {
  return String(key).replaceAll("~", "~0").replaceAll("/", "~1");
}

/** A JSON pointer from path segments: `["api", "a/b"]` → `/api/a~1b`. */
export function pointerOf(segments: Array<string | number>): string {
  return segments.map((segment) => `/${pointerSegment(segment)}`).join("");
}

/** Every `__proto__`, `constructor` or `prototype` key anywhere in a parsed value, as located issues. */
export function forbiddenKeyIssues(value: unknown, path = ""): Issue[] {
  if (value === null || typeof value !== "object") return [];
  const issues: Issue[] = [];
  for (const key of Object.keys(value)) {
    const here = `${path}/${pointerSegment(key)}`;
    if (FORBIDDEN_KEYS.has(key)) {
      issues.push({ path: here, code: "forbidden-key", message: `the key "${key}" is not allowed anywhere in a definition` });
    } else {
      issues.push(...forbiddenKeyIssues((value as Record<string, unknown>)[key], here));
    }
  }
  return issues;
}

/** A deep copy without any forbidden key, so later validation never walks a prototype-shaped key. */
export function withoutForbiddenKeys(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, item) => (FORBIDDEN_KEYS.has(key) ? undefined : item));
}
