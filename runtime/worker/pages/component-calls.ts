// Which definition components a page uses, with their props (pure): the sandbox renders them, so their literal
// props and the ids of the expressions that give the others are sent along, in document order.
import type { MdxJsxFlowElement, MdxJsxTextElement } from "mdast-util-mdx-jsx";
import { toString } from "mdast-util-to-string";
import type { ParsedPage } from "../../../definitions/index.ts";
import type { ComponentCall } from "../../executor/loader.ts";

export type JsxNode = MdxJsxFlowElement | MdxJsxTextElement;
export type Evaluated = { value?: unknown; error?: string };

const isJsx = (node: { type: string }): node is JsxNode => node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement";
const expressionId = (value: unknown): number | undefined => (value as { data?: { expression?: number } } | null)?.data?.expression;

/** Props of a JSX element: literals as written, a bare attribute as `true`, expressions from their evaluated values. */
export function propsOf(node: JsxNode, values: readonly Evaluated[]): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (const attribute of node.attributes) {
    if (attribute.type !== "mdxJsxAttribute") continue;
    const { name, value } = attribute;
    if (value === null || value === undefined) props[name] = true;
    else if (typeof value === "string") props[name] = value;
    else {
      const id = expressionId(value);
      props[name] = id === undefined ? undefined : values[id]?.value;
    }
  }
  return props;
}

export interface PageCalls {
  calls: ComponentCall[];
  /** The call index of each definition-component element. */
  index: Map<JsxNode, number>;
}

/** The definition components a page uses, with what each one is given. */
export function componentCalls(page: ParsedPage, defined: ReadonlySet<string>): PageCalls {
  const calls: ComponentCall[] = [];
  const index = new Map<JsxNode, number>();
  const visit = (node: { type: string; children?: unknown[] }) => {
    if (isJsx(node) && node.name && defined.has(node.name)) {
      const props: Record<string, unknown> = { children: toString(node) };
      const expressions: Record<string, number> = {};
      for (const attribute of node.attributes) {
        if (attribute.type !== "mdxJsxAttribute") continue;
        const id = typeof attribute.value === "object" ? expressionId(attribute.value) : undefined;
        if (id !== undefined) expressions[attribute.name] = id;
        else if (typeof attribute.value !== "object" || attribute.value === null) props[attribute.name] = attribute.value ?? true;
      }
      index.set(node, calls.length);
      calls.push({ name: node.name, props, expressions });
    }
    for (const child of node.children ?? []) visit(child as typeof node);
  };
  visit(page.tree);
  return { calls, index };
}
