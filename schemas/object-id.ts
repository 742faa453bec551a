// The one grammar of object ids, for every way an id comes in: PUT, both git layouts, GitHub, the hub (pure).
import { z } from "zod";
import { printable } from "./text.ts";

export const MAX_ID_LENGTH = 200;
export const MAX_ID_SEGMENT_LENGTH = 100;
export const MAX_ID_SEGMENTS = 8;

const SEGMENT = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/;

export type IdCheck = { ok: true } | { ok: false; message: string };

/** The key two ids collide under: the same after NFC normalization and lowercasing means one object. */
export const idKey = (text: string) => text.normalize("NFC").toLowerCase();

/**
 * Checks one object id: 1–8 `/`-separated segments of lowercase a–z, 0–9, `.`, `-`, `_`, each starting and ending
 * with a letter or digit, no `..`, at most 100 characters a segment and 200 in all. The message says what is wrong.
 */
export function checkObjectId(text: string): IdCheck {
  const shown = `"${printable(text.slice(0, 80))}${text.length > 80 ? "…" : ""}"`;
  const refuse = (why: string): IdCheck => ({ ok: false, message: `${shown} is not an object id: ${why}` });
  if (text.length === 0) return refuse("it is empty");
  if (text.length > MAX_ID_LENGTH) return refuse(`it has ${text.length} characters, at most ${MAX_ID_LENGTH} are allowed`);
  const other = /[^a-z0-9./_-]/.exec(text);
  if (other) {
    const character = other[0];
    const code = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    if (/[A-Z]/.test(character)) return refuse(`ids are lowercase (${printable(idKey(text).slice(0, 80))})`);
    return refuse(`${code} is not allowed: ids use a–z, 0–9, ".", "-", "_" and "/" between segments`);
  }
  if (text.includes("..")) return refuse(`".." is not allowed`);
  const segments = text.split("/");
  if (segments.length > MAX_ID_SEGMENTS) return refuse(`it has ${segments.length} segments, at most ${MAX_ID_SEGMENTS} are allowed`);
  for (const segment of segments) {
    if (segment.length > MAX_ID_SEGMENT_LENGTH) return refuse(`a segment has ${segment.length} characters, at most ${MAX_ID_SEGMENT_LENGTH} are allowed`);
    if (!SEGMENT.test(segment)) return refuse(segment === "" ? "it has an empty segment" : `each segment starts and ends with a letter or digit ("${segment.slice(0, 40)}")`);
  }
  return { ok: true };
}

export const isObjectId = (text: string) => checkObjectId(text).ok;

/** The grammar as one pattern, for editors (JSON Schema); `checkObjectId` is what decides, with its messages. */
export const OBJECT_ID_PATTERN = /^(?!.*\.\.)[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?(?:\/[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?){0,7}$/;

export const ObjectIdSchema = z
  .string()
  .superRefine((text, ctx) => {
    const check = checkObjectId(text);
    if (!check.ok) ctx.addIssue({ code: "custom", message: check.message });
  })
  .meta({ pattern: OBJECT_ID_PATTERN.source, maxLength: MAX_ID_LENGTH });
