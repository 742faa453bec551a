// Regular expressions in a function source (pure): literals (and `RegExp("…")` of a literal) whose matching can take
// exponential time are refused; patterns built at run time, and polynomial ones, are warned about.
import type { AnyNode, Node } from "acorn";
import { full } from "acorn-walk";

type Check = typeof import("recheck/lib/browser.js").checkSync;
let checkSync: Check | undefined;

/**
 * Loads recheck (about 3 MB of JavaScript whose evaluation took 1.5 s of the Worker's start-up when imported
 * statically); every publishing path awaits this before it compiles. Cheap once loaded.
 */
export async function loadRegexChecker(): Promise<void> {
  if (checkSync) return;
  // A CommonJS build: bundlers expose its exports by name, Node only as `default` (its lexer can't see esbuild's getters).
  const recheck: { checkSync?: Check; default?: { checkSync: Check } } = await import("recheck/lib/browser.js");
  checkSync = recheck.checkSync ?? recheck.default?.checkSync;
}

export interface RegexFinding {
  node: Node;
  /** `refuse`: exponential backtracking; `warn`: polynomial, built at run time, or not checkable in time. */
  verdict: "refuse" | "warn";
  code: "regex-catastrophic" | "regex-polynomial" | "regex-dynamic" | "regex-unchecked";
  message: string;
}

/** How long recheck may spend on one pattern (it answers `unknown` past it). */
const CHECK_MS = 2000;

function judge(node: Node, pattern: string, flags: string): RegexFinding | null {
  // A programming error, never a silent pass: the paths that publish load the checker first.
  if (!checkSync) throw new Error("the regex checker is not loaded: await loadRegexChecker() before compiling");
  const shown = `/${pattern.length > 60 ? `${pattern.slice(0, 60)}…` : pattern}/${flags}`;
  let diagnostics;
  try {
    diagnostics = checkSync(pattern, flags, { timeout: CHECK_MS });
  } catch {
    return { node, verdict: "warn", code: "regex-unchecked", message: `${shown} could not be checked for catastrophic backtracking` };
  }
  if (diagnostics.status === "safe") return null;
  if (diagnostics.status === "unknown") return { node, verdict: "warn", code: "regex-unchecked", message: `${shown} could not be checked for catastrophic backtracking in ${CHECK_MS} ms` };
  const attack = diagnostics.attack.pattern.slice(0, 80);
  if (diagnostics.complexity.type === "exponential") {
    return { node, verdict: "refuse", code: "regex-catastrophic", message: `${shown} backtracks exponentially (e.g. on ${attack}): one call could freeze the runtime; rewrite it without nested or overlapping repetition` };
  }
  return { node, verdict: "warn", code: "regex-polynomial", message: `${shown} takes ${diagnostics.complexity.summary} time on some inputs (e.g. ${attack}): bound what it reads` };
}

const isRegExpCall = (node: AnyNode): node is AnyNode & { arguments: AnyNode[] } =>
  (node.type === "NewExpression" || node.type === "CallExpression") && node.callee.type === "Identifier" && node.callee.name === "RegExp";

/** Every regular expression of a parsed source that is refused or worth a warning, in source order. */
export function regexFindings(program: Node): RegexFinding[] {
  const findings: RegexFinding[] = [];
  full(program, (node: AnyNode) => {
    if (node.type === "Literal" && "regex" in node && node.regex) {
      const finding = judge(node, node.regex.pattern, node.regex.flags);
      if (finding) findings.push(finding);
    } else if (isRegExpCall(node)) {
      const [pattern, flags] = node.arguments;
      const literal = (arg: AnyNode | undefined) => (arg?.type === "Literal" && typeof arg.value === "string" ? arg.value : undefined);
      const text = literal(pattern);
      const flagText = flags === undefined ? "" : literal(flags);
      if (text !== undefined && flagText !== undefined) {
        const finding = judge(node, text, flagText);
        if (finding) findings.push(finding);
      } else findings.push({ node, verdict: "warn", code: "regex-dynamic", message: "RegExp(…) of a pattern built at run time cannot be checked for catastrophic backtracking: keep such patterns simple, or bound the input" });
    }
  });
  return findings.sort((a, b) => a.node.start - b.node.start);
}
