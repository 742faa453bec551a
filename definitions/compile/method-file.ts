// Reads `api/**/*.js` (and events/schedules) files: one `export default` function, returned as its source text.
import { parse } from "acorn";
import type { Position } from "./data-file.ts";

export type MethodFile =
  | { ok: true; source: string; start: Position }
  | { ok: false; message: string; code: string; position: Position };

/**
 * The function a file exports by default, as source text with the position it starts at (so issues found inside it
 * can be reported at file lines). Anything else at the top level is refused: the function is all that is published.
 */
export function readMethodFile(text: string): MethodFile {
  let program;
  try {
    program = parse(text, { ecmaVersion: "latest", sourceType: "module", locations: true });
  } catch (error) {
    const { loc, message } = error as { loc?: { line: number; column: number }; message: string };
    return { ok: false, code: "syntax-error", message: `SyntaxError: ${message.replace(/ \(\d+:\d+\)$/, "")}`, position: { line: loc?.line ?? 1, column: (loc?.column ?? 0) + 1 } };
  }
  const exported = program.body.find((node) => node.type === "ExportDefaultDeclaration");
  const other = program.body.find((node) => node !== exported);
  if (other) {
    return { ok: false, code: "not-a-method-file", message: "a method file holds one `export default` function and nothing else", position: { line: other.loc!.start.line, column: other.loc!.start.column + 1 } };
  }
  const declaration = exported?.type === "ExportDefaultDeclaration" ? exported.declaration : undefined;
  if (!declaration || !["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"].includes(declaration.type)) {
    const where = declaration?.loc?.start ?? { line: 1, column: 0 };
    return { ok: false, code: "not-a-function", message: "`export default` a function, e.g. export default async (data) => …", position: { line: where.line, column: where.column + 1 } };
  }
  return { ok: true, source: text.slice(declaration.start, declaration.end), start: { line: declaration.loc!.start.line, column: declaration.loc!.start.column + 1 } };
}
