// Text from outside shown back to people (remote: lines, the CLI, logs, check runs): control characters escaped (pure).
// Imports nothing: the CLI imports this file directly (see tests/unit/architecture.test.ts).

// C0 and C1 controls, DEL, bidirectional controls and marks, line and paragraph separators, lone surrogates.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` with every character that could move the cursor, colour a terminal or reorder a line written as `\u{…}`. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (character) => `\\u{${character.charCodeAt(0).toString(16).padStart(4, "0")}}`);
}

/** Whether `text` holds a character `printable` would escape. */
export function hasUnprintable(text: string): boolean {
  UNPRINTABLE.lastIndex = 0;
  const found = UNPRINTABLE.test(text);
  UNPRINTABLE.lastIndex = 0;
  return found;
}
