// Bytes and text a definition may not hold (pure): invalid UTF-8, a byte order mark, duplicate JSON keys, NUL and
// lone surrogates in any string. Each is reported where it is, never repaired silently.
import { visit } from "jsonc-parser";
import type { Issue } from "../../schemas/index.ts";
import { invalid, parseJsonText, pointerOf } from "../../core/index.ts";

export type Utf8 = { ok: true; text: string } | { ok: false; line: number; column: number };

/** The byte offset of the first invalid UTF-8 sequence, or -1 (overlong forms and surrogates are invalid too). */
function firstInvalidByte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const byte = bytes[i]!;
    const [length, min, max] = byte < 0x80 ? [1, 0, 0] : byte >= 0xc2 && byte <= 0xdf ? [2, 0x80, 0xbf] : byte === 0xe0 ? [3, 0xa0, 0xbf] : byte === 0xed ? [3, 0x80, 0x9f] : byte >= 0xe1 && byte <= 0xef ? [3, 0x80, 0xbf] : byte === 0xf0 ? [4, 0x90, 0xbf] : byte >= 0xf1 && byte <= 0xf3 ? [4, 0x80, 0xbf] : byte === 0xf4 ? [4, 0x80, 0x8f] : [0, 0, 0];
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      const [low, high] = k === 1 ? [min, max] : [0x80, 0xbf];
      if (next === undefined || next < low || next > high) return i;
    }
    i += length;
  }
  return -1;
}

/** Decodes UTF-8 strictly: invalid bytes are reported at their line and column, never replaced by U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): Utf8 {
  const bad = firstInvalidByte(bytes);
  // ignoreBOM keeps a byte order mark in the text, so that it is refused rather than dropped unseen.
  if (bad < 0) return { ok: true, text: new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(bytes) };
  const before = new TextDecoder().decode(bytes.subarray(0, bad));
  const lineStart = before.lastIndexOf("\n") + 1;
  return { ok: false, line: before.split("\n").length, column: [...before.slice(lineStart)].length + 1 };
}

export const startsWithBom = (text: string) => text.charCodeAt(0) === 0xfeff;

/** Keys that appear twice in one JSON object (JSON.parse would keep the last silently), with where the second one is. */
export function duplicateKeys(text: string): Array<{ path: Array<string | number>; line: number; column: number }> {
  const found: Array<{ path: Array<string | number>; line: number; column: number }> = [];
  const open: Array<Set<string> | null> = [];
  visit(text, {
    onObjectBegin: () => void open.push(new Set()),
    onObjectEnd: () => void open.pop(),
    onArrayBegin: () => void open.push(null),
    onArrayEnd: () => void open.pop(),
    onObjectProperty: (property, _offset, _length, line, character, path) => {
      const keys = open.at(-1);
      if (!keys) return;
      if (keys.has(property)) found.push({ path: [...path(), property], line: line + 1, column: character + 1 });
      else keys.add(property);
    },
  });
  return found;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Every string (key or value) holding NUL or a lone surrogate, as located issues; walks without recursion. */
export function badStringIssues(value: unknown): Issue[] {
  const issues: Issue[] = [];
  const check = (text: string, path: Array<string | number>, what: string) => {
    if (text.includes("\u0000")) issues.push({ path: pointerOf(path), code: "nul-character", message: `${what} holds a NUL character (U+0000)` });
    else if (LONE_SURROGATE.test(text)) issues.push({ path: pointerOf(path), code: "lone-surrogate", message: `${what} holds a lone surrogate (not valid Unicode)` });
  };
  const stack: Array<[unknown, Array<string | number>]> = [[value, []]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (typeof node === "string") check(node, path, "this string");
    else if (Array.isArray(node)) node.forEach((item, index) => stack.push([item, [...path, index]]));
    else if (node !== null && typeof node === "object") {
      for (const [key, item] of Object.entries(node)) {
        check(key, [...path, key], `the key "${key.replace(/[\u0000\ud800-\udfff]/g, "?")}"`);
        stack.push([item, [...path, key]]);
      }
    }
  }
  return issues.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * A definition sent as a request body: strict UTF-8 without a BOM, JSON without duplicate keys (each refused as a
 * 422 issue with its line and column, and the JSON pointer of a duplicate), then parsed as `parseJsonText` does.
 */
export function parseDefinitionBody(bytes: Uint8Array): unknown {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) throw invalid([{ path: "", code: "invalid-utf8", message: "the body is not valid UTF-8", line: decoded.line, column: decoded.column }]);
  if (startsWithBom(decoded.text)) throw invalid([{ path: "", code: "byte-order-mark", message: "the body starts with a byte order mark (U+FEFF)", line: 1, column: 1 }]);
  const value = parseJsonText(decoded.text, "the definition");
  const duplicates = duplicateKeys(decoded.text);
  if (duplicates.length > 0) {
    throw invalid(duplicates.map(({ path, line, column }) => ({ path: pointerOf(path), code: "duplicate-key", message: `the key "${String(path.at(-1))}" appears twice in one object`, line, column })));
  }
  return value;
}
