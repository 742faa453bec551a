// Inserts CPU guards into a function source: a call at every function entry and every loop iteration.
import { parse, type AnyNode, type Node } from "acorn";
import { fullAncestor } from "acorn-walk";
import { RESERVED_PREFIX } from "../../definitions/index.ts";
import { DATA_FIELDS, LOCAL_FIELDS, type ContextUse } from "../shared/sandbox-protocol.ts";

const DATA = new Set<string>(DATA_FIELDS);
const LOCAL = new Set<string>(LOCAL_FIELDS);
const RANK: Record<ContextUse, number> = { none: 0, data: 1, local: 2, state: 3 };

/**
 * What one `$` reaches: read as `$.<data field>` (non-computed), only the definition's own fields; as `$.db` or
 * `$.emit`, only what the facet answers alone; anything else (computed, passed on, destructured) may reach the host.
 */
function useOf(node: AnyNode, ancestors: Node[]): ContextUse {
  const parent = ancestors[ancestors.length - 2] as AnyNode | undefined;
  if (parent?.type !== "MemberExpression" || parent.object !== node || parent.computed || parent.property.type !== "Identifier") return "state";
  return DATA.has(parent.property.name) ? "data" : LOCAL.has(parent.property.name) ? "local" : "state";
}

/** The name of the guard function the generated module passes to each instrumented source. */
export const GUARD = `${RESERVED_PREFIX}guard`;

export interface Instrumented {
  /** The source with guards inserted; still one function expression. */
  code: string;
  /** How the source uses `$`: "none" and "data" run without the ObjectDO (one RPC hop less), "local" without its host. */
  context: ContextUse;
}

interface Edit {
  at: number;
  text: string;
  /** Closers go before openers at one position; inner closers first, outer openers first. */
  closer: boolean;
  span: number;
}

const LOOPS = new Set(["WhileStatement", "DoWhileStatement", "ForStatement", "ForInStatement", "ForOfStatement"]);
const FUNCTIONS = new Set(["FunctionExpression", "FunctionDeclaration", "ArrowFunctionExpression"]);

function guardBody(body: Node, edits: Edit[], asExpression: boolean): void {
  const span = body.end - body.start;
  if (body.type === "BlockStatement") edits.push({ at: body.start + 1, text: `${GUARD}();`, closer: false, span });
  else if (asExpression) {
    edits.push({ at: body.start, text: `(${GUARD}(), `, closer: false, span });
    edits.push({ at: body.end, text: ")", closer: true, span });
  } else {
    edits.push({ at: body.start, text: `{${GUARD}();`, closer: false, span });
    edits.push({ at: body.end, text: "}", closer: true, span });
  }
}

function applyEdits(source: string, edits: Edit[]): string {
  edits.sort((a, b) => a.at - b.at || Number(b.closer) - Number(a.closer) || (a.closer ? a.span - b.span : b.span - a.span));
  let out = "";
  let last = 0;
  for (const edit of edits) {
    out += source.slice(last, edit.at) + edit.text;
    last = edit.at;
  }
  return out + source.slice(last);
}

/**
 * Instruments one function source (already accepted by the registry's source check). Sync loops cannot be
 * interrupted from outside an isolate (local workerd freezes whole), so the code itself must count and stop.
 */
export function instrumentSource(source: string): Instrumented {
  // Parenthesized, as an anonymous `function () {}` is not a statement on its own.
  const wrapped = `(${source}\n)`;
  const program = parse(wrapped, { ecmaVersion: "latest", sourceType: "module" });
  const [statement, ...rest] = program.body;
  const expression = statement?.type === "ExpressionStatement" ? statement.expression : undefined;
  if (rest.length > 0 || !expression || !FUNCTIONS.has(expression.type)) throw new Error("a source must be one function expression");
  const edits: Edit[] = [];
  let context: ContextUse = "none";
  fullAncestor(program, (node: AnyNode, _state: unknown, ancestors: Node[]) => {
    if (node.type === "Identifier") {
      // Any `$` but a data or local read counts as state, wherever it is (a property key, a pattern, a shadowing name).
      if (node.name === "$") {
        const use = useOf(node, ancestors);
        if (RANK[use] > RANK[context]) context = use;
      }
      if (node.name.startsWith(RESERVED_PREFIX)) throw new Error(`reserved identifier ${node.name}`);
    } else if (node.type === "ImportExpression" || (node.type === "MetaProperty" && node.meta.name === "import")) {
      // Checked at publish too: a module import would reach the generated modules themselves.
      throw new Error("import() and import.meta are not allowed");
    } else if (LOOPS.has(node.type)) {
      guardBody((node as { body: Node }).body, edits, false);
    } else if (FUNCTIONS.has(node.type)) {
      const fn = node as { body: Node; expression?: boolean };
      guardBody(fn.body, edits, fn.body.type !== "BlockStatement");
    }
  });
  return { code: applyEdits(wrapped, edits).slice(1, -2), context };
}

/**
 * One factory of `definition.js`: `($, guard)` → the user's function. The source sits on lines of its own inside
 * parentheses, so a trailing `//` comment cannot swallow the closer.
 */
export function factoryText(source: string): { text: string; context: ContextUse } {
  const { code, context } = instrumentSource(source);
  return { text: `function ($, ${GUARD}) { return (\n${code}\n); }`, context };
}
