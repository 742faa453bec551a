// Publish-time checks of site and app pages (pure): Markdown/MDX that does not parse, and `{expressions}` that are
// not plain JavaScript expressions, are reported at their line and column in the page.
import type { Issue } from "../../schemas/index.ts";
import { checkFunctionSource } from "../compile/check-source.ts";
import { pointerSegment } from "../../core/index.ts";
import { parsePage } from "./parse-page.ts";

/** An expression as the sandbox evaluates it: the body of an async arrow function, on lines of its own. */
export const expressionThunk = (source: string) => `async () => (\n${source}\n)`;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** The pages of a (possibly invalid) definition with their JSON pointers; `site` may be one page. */
export function pagesOf(definition: Record<string, unknown>): Array<{ pointer: string; source: string }> {
  const pages: Array<{ pointer: string; source: string }> = [];
  if (typeof definition.site === "string") pages.push({ pointer: "/site", source: definition.site });
  for (const area of ["site", "app"] as const) {
    const map = definition[area];
    if (!isRecord(map)) continue;
    for (const [path, source] of Object.entries(map)) if (typeof source === "string") pages.push({ pointer: `/${area}/${pointerSegment(path)}`, source });
  }
  return pages;
}

function pageIssuesOf(pointer: string, source: string): Issue[] {
  const parsed = parsePage(source);
  if (!parsed.ok) return [{ path: pointer, code: "page-syntax", message: parsed.message, line: parsed.line, column: parsed.column }];
  return parsed.page.expressions.flatMap((expression) => {
    const check = checkFunctionSource(expressionThunk(expression.source));
    if (check.ok) return [];
    // Line 2 of the thunk is the expression's first line; its `{` is at expression.column.
    const line = expression.line + Math.max(0, check.line - 2);
    const column = check.line <= 2 ? expression.column + check.column : check.column;
    return [{ path: pointer, code: check.code === "syntax-error" ? "page-expression" : check.code, message: check.message, line, column }];
  });
}

/** Every issue of every page of a definition. */
export function pageIssues(definition: Record<string, unknown>): Issue[] {
  return pagesOf(definition).flatMap(({ pointer, source }) => pageIssuesOf(pointer, source));
}
