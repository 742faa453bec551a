// Syntax check of one function source with acorn (never eval): exactly one function expression, no imports, no
// regular expression that backtracks exponentially.
import { parse, type Node } from "acorn";
import { full } from "acorn-walk";
import { regexFindings } from "./regex-check.ts";

export interface SourceWarning {
  code: string;
  message: string;
  line: number;
  column: number;
}

export type SourceCheck = { ok: true; warnings: SourceWarning[] } | { ok: false; code: string; message: string; line: number; column: number };

const PREFIX = "(\n";
/** Identifiers the executor inserts (its CPU guards); user code may not name them. */
export const RESERVED_PREFIX = "__od_";

function located(node: Node, code: string, message: string): SourceCheck {
  const { line, column } = node.loc!.start;
  return { ok: false, code, message, line: line - 1, column: column + 1 };
}

/** Parses `(\n<source>\n)` as a module; lines and columns are reported relative to the source itself. */
export function checkFunctionSource(source: string): SourceCheck {
  let program;
  try {
    program = parse(`${PREFIX}${source}\n)`, { ecmaVersion: "latest", sourceType: "module", locations: true });
  } catch (error) {
    const { loc, message } = error as { loc?: { line: number; column: number }; message: string };
    const lines = source.split("\n");
    // An error found on the wrapper's closing line (an unclosed body) is reported at the end of the source.
    const past = (loc?.line ?? 2) - 1 > lines.length;
    const line = past ? lines.length : Math.max(1, (loc?.line ?? 2) - 1);
    const column = past ? lines.at(-1)!.length + 1 : (loc?.column ?? 0) + 1;
    return { ok: false, code: "syntax-error", message: `SyntaxError: ${message.replace(/ \(\d+:\d+\)$/, "")}`, line, column };
  }
  const [statement, ...rest] = program.body;
  const expression = statement?.type === "ExpressionStatement" ? statement.expression : undefined;
  if (rest.length > 0 || !expression || (expression.type !== "ArrowFunctionExpression" && expression.type !== "FunctionExpression")) {
    return { ok: false, code: "not-a-function", message: "expected one function expression, e.g. async (x) => x", line: 1, column: 1 };
  }
  let imported: Node | undefined;
  let reserved: Node | undefined;
  // `full` visits every node, identifiers in declarations and patterns included.
  full(program, (node) => {
    if (node.type === "ImportExpression" || (node.type === "MetaProperty" && node.meta.name === "import")) imported ??= node;
    else if (node.type === "Identifier" && node.name.startsWith(RESERVED_PREFIX)) reserved ??= node;
  });
  if (imported) return located(imported, "import-not-allowed", "import() and import.meta are not allowed: a definition reaches the world through $");
  if (reserved) return located(reserved, "reserved-identifier", `identifiers starting with ${RESERVED_PREFIX} are reserved by the runtime`);
  const findings = regexFindings(program);
  const refused = findings.find((finding) => finding.verdict === "refuse");
  if (refused) return located(refused.node, refused.code, refused.message);
  const warnings = findings.map((finding) => {
    const where = located(finding.node, finding.code, finding.message) as { line: number; column: number };
    return { code: finding.code, message: finding.message, line: where.line, column: where.column };
  });
  return { ok: true, warnings };
}
