// The page half of a sandbox's module (pure): each page's `{expressions}` as one instrumented function returning
// one thunk per expression, and the definition's components, so both run in the sandbox and never in the runtime.
import { expressionThunk, parsePage, pagesOf, type ParsedPage } from "../../definitions/index.ts";
import type { NormalizedDefinition } from "../../schemas/index.ts";
import type { FactoryList } from "./factory-list.ts";
import type { EntryRow } from "../shared/sandbox-protocol.ts";

export interface PreparedPages {
  /** Parsed pages by key (`site:/pricing`, `app:/`): parsed once per version. */
  pages: Map<string, ParsedPage>;
  /** Pages whose expressions and components never name `$`: evaluated without the object's state. */
  stateless: Set<string>;
  /** Pages whose expressions and components name only what the facet answers alone (see WorkerModules.hostless). */
  local: Set<string>;
  /** The `page` and `component` tables of the generated module. */
  rows: { page: EntryRow[]; component: EntryRow[] };
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

/** Parses every page of a definition (already validated at publish) and adds its factories to `factories`. */
export function preparePages(definition: NormalizedDefinition, factories: FactoryList): PreparedPages {
  const component = Object.entries(definition.components ?? {}).map(([name, source]) => factories.add(name, source));
  // Pages take `$` from the ObjectDO whenever any of their parts names it (no data-only pages).
  const componentUsesContext = new Map(component.map(([name, , context]) => [name, context !== "none"]));
  const componentNeedsHost = new Map(component.map(([name, , context]) => [name, context === "state"]));
  const local = new Set<string>();
  const pages = new Map<string, ParsedPage>();
  const stateless = new Set<string>();
  const page: EntryRow[] = [];
  for (const { pointer, source } of pagesOf(definition as unknown as Record<string, unknown>)) {
    const parsed = parsePage(source);
    if (!parsed.ok) continue;
    const key = keyOf(pointer);
    pages.set(key, parsed.page);
    const row = factories.add(key, `(page) => [\n${parsed.page.expressions.map((expression) => expressionThunk(expression.source)).join(",\n")}\n]`);
    const names = componentNames(parsed.page);
    if (row[2] === "none" && !names.some((name) => componentUsesContext.get(name))) stateless.add(key);
    else if (row[2] !== "state" && !names.some((name) => componentNeedsHost.get(name))) local.add(key);
    page.push(row);
  }
  return { pages, stateless, local, rows: { page, component } };
}
