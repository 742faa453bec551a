// The page half of a sandbox's module (pure): each page's `{expressions}` as one instrumented function returning
// one thunk per expression, and the definition's components, so both run in the sandbox and never in the runtime.
import { expressionThunk, parsePage, pagesOf, type ParsedPage } from "../../registry/index.ts";
import type { NormalizedDefinition } from "../../schemas/index.ts";
import { sandboxEntry as entry } from "./instrument.ts";

export interface PreparedPages {
  /** Parsed pages by key (`site:/pricing`, `app:/`): parsed once per version. */
  pages: Map<string, ParsedPage>;
  /** Pages whose expressions and components never name `$`: evaluated without the object's state. */
  contextFree: Set<string>;
  /** Lines of the `PAGES` and `COMPONENTS` tables of the generated module. */
  lines: string[];
}

/** `/site/~1pricing` → `site:/pricing`; a one-page `site` string is `site:/`. */
const keyOf = (pointer: string) => {
  const [, area, path] = pointer.split("/");
  return `${area}:${path === undefined ? "/" : path.replaceAll("~1", "/").replaceAll("~0", "~")}`;
};

/** The names of the JSX elements of a page, in document order. */
export function componentNames(page: ParsedPage): string[] {
  const names: string[] = [];
  const visit = (node: { type: string; name?: string | null; children?: unknown[] }) => {
    if ((node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement") && node.name) names.push(node.name);
    for (const child of node.children ?? []) visit(child as typeof node);
  };
  visit(page.tree);
  return names;
}

/** Parses every page of a definition (already validated at publish) and generates its tables. */
export function preparePages(definition: NormalizedDefinition): PreparedPages {
  const components = new Map(Object.entries(definition.components ?? {}).map(([name, source]) => [name, entry(source)]));
  const pages = new Map<string, ParsedPage>();
  const contextFree = new Set<string>();
  const pageLines: string[] = [];
  for (const { pointer, source } of pagesOf(definition as unknown as Record<string, unknown>)) {
    const parsed = parsePage(source);
    if (!parsed.ok) continue;
    const key = keyOf(pointer);
    pages.set(key, parsed.page);
    const thunks = entry(`(page) => [\n${parsed.page.expressions.map((expression) => expressionThunk(expression.source)).join(",\n")}\n]`);
    const usesComponentContext = componentNames(parsed.page).some((name) => components.get(name)?.usesContext);
    if (!thunks.usesContext && !usesComponentContext) contextFree.add(key);
    pageLines.push(`  [${JSON.stringify(key)}, ${thunks.text}],`);
  }
  const componentLines = [...components].map(([name, { text }]) => `  [${JSON.stringify(name)}, ${text}],`);
  return { pages, contextFree, lines: ["const PAGES = new Map([", ...pageLines, "]);", "const COMPONENTS = new Map([", ...componentLines, "]);"] };
}
