// Parses a JSON or YAML definition file into a value plus a way back from a JSON pointer to its line and column.
import { findNodeAtLocation, parseTree, printParseErrorCode, type ParseError } from "jsonc-parser";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { duplicateKeys } from "./text-checks.ts";

export interface Position {
  line: number;
  column: number;
}

export type DataFile =
  | { ok: true; value: unknown; locate(path: ReadonlyArray<string | number>): Position }
  | { ok: false; message: string; position: Position; code?: string; more?: Array<{ message: string; position: Position; code: string }> };

/** 1-based line and column of a character offset. */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** jsonc-parser's error codes in plain words (its own names read `PropertyNameExpected`). */
const JSON_PROBLEMS: Partial<Record<string, string>> = {
  InvalidSymbol: "a character that cannot start a JSON value",
  InvalidNumberFormat: "a number written in a way JSON does not allow",
  PropertyNameExpected: 'a key in double quotes was expected (a trailing comma, or a key without quotes?)',
  ValueExpected: "a value was expected",
  ColonExpected: 'a ":" was expected after the key',
  CommaExpected: 'a "," was expected between two entries',
  CloseBraceExpected: 'a closing "}" is missing',
  CloseBracketExpected: 'a closing "]" is missing',
  EndOfFileExpected: "more text after the end of the JSON value",
  InvalidCommentToken: "comments are not allowed in JSON (use YAML, or remove the comment)",
  UnexpectedEndOfComment: "a comment is not closed",
  UnexpectedEndOfString: "a string is not closed (a missing double quote)",
  UnexpectedEndOfNumber: "a number ends too early",
  InvalidUnicode: "an invalid \\u escape",
  InvalidEscapeCharacter: "an invalid escape after a backslash",
  InvalidCharacter: "a control character inside a string (write it escaped, e.g. \\n)",
};
const jsonProblem = (error: ParseError) => JSON_PROBLEMS[printParseErrorCode(error.error)] ?? printParseErrorCode(error.error);

function parseJsonFile(text: string): DataFile {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first || !tree) return { ok: false, message: `JSON: ${first ? jsonProblem(first) : "the file is empty"}`, position: positionAt(text, first?.offset ?? 0) };
  // JSON.parse keeps the last of two equal keys: the first would vanish without a word.
  const [duplicate, ...others] = duplicateKeys(text).map(({ path, line, column }) => ({ code: "duplicate-key", message: `JSON: the key "${String(path.at(-1))}" appears twice in one object`, position: { line, column } }));
  if (duplicate) return { ok: false, ...duplicate, more: others };
  return {
    ok: true,
    // The value comes from JSON.parse itself, so `__proto__` stays an own key exactly as everywhere else.
    value: JSON.parse(text),
    locate(path) {
      // The deepest node that exists: a missing key is reported at its parent object.
      for (let depth = path.length; depth >= 0; depth--) {
        const node = findNodeAtLocation(tree, path.slice(0, depth) as Array<string | number>);
        if (node) return positionAt(text, node.parent?.type === "property" ? node.parent.offset : node.offset);
      }
      return { line: 1, column: 1 };
    },
  };
}

function parseYamlFile(text: string): DataFile {
  const lineCounter = new LineCounter();
  // prettyErrors fills in linePos (the message then carries a code excerpt after its first line).
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const first = document.errors[0];
  if (first) {
    const [line, column] = first.linePos?.[0] ? [first.linePos[0].line, first.linePos[0].col] : [1, 1];
    // The position travels on its own: the message's own " at line 2, column 1:" would say it twice, then dangle.
    return { ok: false, message: `YAML: ${first.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`, position: { line, column } };
  }
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return {
    ok: true,
    // Aliases are bounded so a "billion laughs" file cannot expand without limit.
    value: document.toJS({ maxAliasCount: 100 }),
    locate(path) {
      // The deepest node that exists: a missing key is reported at its parent.
      for (let depth = path.length; depth >= 0; depth--) {
        const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
        if (node === undefined) continue;
        // A key's issue is reported at the key, as for JSON.
        const parent = depth === 0 ? undefined : depth === 1 ? document.contents : document.getIn(path.slice(0, depth - 1), true);
        const pair = isMap(parent) ? parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(path[depth - 1])) : undefined;
        const start = ((isScalar(pair?.key) ? pair.key : node) as { range?: [number, number, number] } | null)?.range?.[0];
        if (start !== undefined) return at(start);
      }
      return { line: 1, column: 1 };
    },
  };
}

/** Parses a definition file by its extension (`.json`, `.yaml`, `.yml`). */
export function parseDataFile(path: string, text: string): DataFile {
  return path.endsWith(".json") ? parseJsonFile(text) : parseYamlFile(text);
}
