// A page's syntax tree plus its evaluated expressions and components → sanitized HTML (pure). Expression values
// become text, never markup; component Markdown is rendered without HTML; everything passes one sanitizer.
import type { Element, ElementContent, Nodes as HastNodes, Root as HastRoot } from "hast";
import { sanitize, defaultSchema, type Schema } from "hast-util-sanitize";
import { toHtml } from "hast-util-to-html";
import type { Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { defaultHandlers, toHast, type Handler, type State } from "mdast-util-to-hast";
import { gfm } from "micromark-extension-gfm";
import { find, html } from "property-information";
import type { ParsedPage } from "../../../definitions/index.ts";
import { BUILTINS, placeholder, type BuiltinContext } from "./builtins.ts";
import { propsOf, type Evaluated, type JsxNode, type PageCalls } from "./component-calls.ts";

export interface Evaluation {
  values: Evaluated[];
  components: Evaluated[];
}

export interface RenderedPage {
  title: string | undefined;
  /** Sanitized HTML of the page body. */
  html: string;
}

// Built-in components style themselves with `od-` classes: allowed next to the classes the default schema allows.
const OWN_CLASSES = /^od-[a-z-]+$/;
const withClasses = (tag: string) => {
  const kept = (defaultSchema.attributes?.[tag] ?? []).filter((definition) => !(Array.isArray(definition) && definition[0] === "className"));
  const allowed = (defaultSchema.attributes?.[tag] ?? []).flatMap((definition) => (Array.isArray(definition) && definition[0] === "className" ? definition.slice(1) : []));
  return [tag, [...kept, ["className", ...allowed, OWN_CLASSES]]];
};
const SCHEMA: Schema = {
  ...defaultSchema,
  attributes: { ...defaultSchema.attributes, ...Object.fromEntries(["div", "section", "p", "span", "strong", "a"].map(withClasses)) },
};

const textNode = (value: string): ElementContent => ({ type: "text", value });
const element = (tagName: string, properties: Element["properties"], children: ElementContent[]): Element => ({ type: "element", tagName, properties, children });

/** An evaluated value as content: text for scalars, JSON in `<code>` for data, an error box for a failure. */
function valueContent(result: Evaluated | undefined, flow: boolean): ElementContent[] {
  if (!result) return [];
  if (result.error !== undefined) return [element("span", { className: ["od-error"] }, [textNode(`⚠ ${result.error}`)])];
  const { value } = result;
  if (value === null || value === undefined) return [];
  if (typeof value !== "object") return [flow ? element("p", {}, [textNode(String(value))]) : textNode(String(value))];
  const code = element("code", {}, [textNode(JSON.stringify(value, null, flow ? 2 : 0))]);
  return [flow ? element("pre", {}, [code]) : code];
}

/** Markdown a definition component returned, rendered without raw HTML. */
function markdownContent(markdown: string): ElementContent[] {
  const tree = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  return ((toHast(tree) as HastRoot).children ?? []) as ElementContent[];
}

/** Lowercase JSX is an HTML element: attributes by their hast property names (the sanitizer decides which stay). */
function htmlElement(node: JsxNode, values: readonly Evaluated[], children: ElementContent[]): Element {
  const properties: Element["properties"] = {};
  for (const [name, value] of Object.entries(propsOf(node, values))) {
    if (value === undefined || value === null || typeof value === "object") continue;
    properties[find(html, name === "className" ? "class" : name).property] = typeof value === "boolean" ? value : String(value);
  }
  return element(node.name!, properties, children);
}

function handlers(evaluation: Evaluation, calls: PageCalls, context: BuiltinContext): Record<string, Handler> {
  const expression = (flow: boolean): Handler => (_state, node) => {
    const id = (node as { data?: { expression?: number } }).data?.expression;
    return id === undefined ? undefined : valueContent(evaluation.values[id], flow);
  };
  const jsx: Handler = (state: State, node) => {
    const jsxNode = node as JsxNode;
    const children = state.all(jsxNode as never) as ElementContent[];
    const name = jsxNode.name;
    if (!name) return children;
    if (/^[a-z]/.test(name)) return htmlElement(jsxNode, evaluation.values, children);
    const call = calls.index.get(jsxNode);
    if (call !== undefined) {
      const result = evaluation.components[call];
      if (!result || result.error !== undefined) return placeholder(name, `failed: ${result?.error ?? "no result"}`);
      return typeof result.value === "string" ? markdownContent(result.value) : valueContent(result, true);
    }
    const builtin = BUILTINS[name];
    if (builtin) return builtin(propsOf(jsxNode, evaluation.values), children, context);
    return placeholder(name, "is not a component of this site");
  };
  // A paragraph holding nothing but components (`<Callout>text</Callout>` on one line) is not wrapped in <p>.
  const paragraph: Handler = (state, node) => {
    const children = (node as { children: Array<{ type: string; value?: string }> }).children;
    const onlyComponents = children.some((child) => child.type === "mdxJsxTextElement") && children.every((child) => child.type === "mdxJsxTextElement" || (child.type === "text" && !child.value?.trim()));
    return onlyComponents ? state.all(node as never) : defaultHandlers.paragraph(state, node as never);
  };
  return { paragraph, mdxFlowExpression: expression(true), mdxTextExpression: expression(false), mdxJsxFlowElement: jsx, mdxJsxTextElement: jsx };
}

function textOf(node: HastNodes): string {
  if (node.type === "text") return node.value;
  return "children" in node ? node.children.map((child) => textOf(child as HastNodes)).join("") : "";
}

function firstHeading(node: HastNodes): Element | undefined {
  if (node.type === "element" && node.tagName === "h1") return node;
  if (!("children" in node)) return undefined;
  for (const child of node.children) {
    const found = firstHeading(child as HastNodes);
    if (found) return found;
  }
  return undefined;
}

/** Site-absolute links (`/pricing`) point into the object: `link` adds `/<id>@<ref>` when it is served by path. */
function rebaseLinks(node: HastNodes, link: (path: string) => string): void {
  if (node.type === "element") {
    for (const key of ["href", "src"]) {
      const value = node.properties?.[key];
      if (typeof value === "string" && value.startsWith("/") && !value.startsWith("//")) node.properties[key] = link(value);
    }
  }
  if ("children" in node) for (const child of node.children) rebaseLinks(child as HastNodes, link);
}

/** Renders one page. `link` maps a page path to its URL. */
export function renderPage(page: ParsedPage, evaluation: Evaluation, calls: PageCalls, context: BuiltinContext & { link(path: string): string }): RenderedPage {
  const hast = toHast(page.tree as Root, { handlers: handlers(evaluation, calls, context) }) as HastRoot;
  const clean = sanitize(hast, SCHEMA) as HastRoot;
  rebaseLinks(clean, context.link);
  const heading = firstHeading(clean);
  return { title: heading ? textOf(heading).trim() || undefined : undefined, html: toHtml(clean) };
}
