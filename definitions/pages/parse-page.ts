// A site or app page (Markdown with MDX's JSX and `{expressions}`) parsed without evaluating anything (pure):
// its syntax tree and every expression in it, numbered in document order, with where each one is.
import * as acorn from "acorn";
import type { Root, Nodes } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { mdxExpressionFromMarkdown } from "mdast-util-mdx-expression";
import { mdxJsxFromMarkdown } from "mdast-util-mdx-jsx";
import { gfm } from "micromark-extension-gfm";
import { mdxExpression } from "micromark-extension-mdx-expression";
import { mdxJsx } from "micromark-extension-mdx-jsx";

export interface PageExpression {
  id: number;
  source: string;
  line: number;
  column: number;
}

export interface ParsedPage {
  tree: Root;
  expressions: PageExpression[];
}

export type PageParse = { ok: true; page: ParsedPage } | { ok: false; message: string; line: number; column: number };

// Comments only (`{/* note */}`) are not expressions.
const isEmpty = (source: string) => source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, "").trim() === "";

/** Parses a page; each expression node (and JSX attribute expression) gets `data.expression` = its id. */
export function parsePage(source: string): PageParse {
  let tree: Root;
  try {
    tree = fromMarkdown(source, {
      extensions: [gfm(), mdxJsx({ acorn, addResult: false }), mdxExpression({ acorn, addResult: false })],
      mdastExtensions: [gfmFromMarkdown(), mdxJsxFromMarkdown(), mdxExpressionFromMarkdown()],
    });
  } catch (error) {
    const { message, line, column, place } = error as { message: string; line?: number; column?: number; place?: { line?: number; column?: number; start?: { line: number; column: number } } };
    const at = place && "start" in place && place.start ? place.start : (place as { line?: number; column?: number } | undefined);
    // Some messages carry their place only in their text: "Expected a closing tag for `<Hero>` (3:1-3:7)".
    const quoted = /\((\d+):(\d+)-\d+:\d+\)/.exec(message);
    return {
      ok: false,
      message: message.split("\n")[0]!,
      line: line ?? at?.line ?? Number(quoted?.[1] ?? 1),
      column: column ?? at?.column ?? Number(quoted?.[2] ?? 1),
    };
  }
  const expressions: PageExpression[] = [];
  type Noted = { data?: Record<string, unknown>; position?: { start: { line: number; column: number } } };
  const note = (node: Noted, value: string) => {
    if (isEmpty(value)) return;
    const id = expressions.length;
    node.data = { ...node.data, expression: id };
    expressions.push({ id, source: value, line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 });
  };
  const visit = (node: Nodes) => {
    if (node.type === "mdxFlowExpression" || node.type === "mdxTextExpression") note(node as unknown as Noted, node.value);
    if (node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement") {
      for (const attribute of node.attributes) {
        if (attribute.type === "mdxJsxAttribute" && attribute.value && typeof attribute.value === "object") {
          note(attribute.value as unknown as Noted, attribute.value.value);
          Object.assign(attribute.value, { position: node.position });
        }
      }
    }
    if ("children" in node) for (const child of node.children as Nodes[]) visit(child);
  };
  visit(tree);
  return { ok: true, page: { tree, expressions } };
}
