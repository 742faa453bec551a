// Patterns over object ids (pure): token scopes and a definition's `accepts` use the same grammar.
import { z } from "zod";
import { checkObjectId } from "./object-id.ts";

/**
 * Whether a pattern covers an object id. `*` covers every id; `*.acme.com` covers ids whose first segment ends in
 * `.acme.com`; `crm.acme.com` covers that id and its sub-ids (`crm.acme.com/tenant-1`); `startup.do/*` covers only
 * the sub-ids of `startup.do`.
 */
export function scopeCovers(pattern: string, id: string): boolean {
  if (pattern === "*") return true;
  const root = id.split("/")[0]!;
  if (pattern.startsWith("*.")) return root.endsWith(pattern.slice(1));
  if (pattern.endsWith("/*")) return id.startsWith(pattern.slice(0, -1));
  return id === pattern || id.startsWith(`${pattern}/`);
}

/** Whether any of `patterns` covers `id`. */
export const anyCovers = (patterns: readonly string[], id: string) => patterns.some((pattern) => scopeCovers(pattern, id));

/** Why a text is not an id pattern, or null. */
export function idPatternProblem(pattern: string): string | null {
  if (pattern === "*") return null;
  const id = pattern.startsWith("*.") ? pattern.slice(2) : pattern.endsWith("/*") ? pattern.slice(0, -2) : pattern;
  const check = checkObjectId(id);
  return check.ok ? null : `an id pattern is *, *.<suffix>, <id> or <id>/*: ${check.message}`;
}

export const IdPatternSchema = z.string().superRefine((pattern, ctx) => {
  const problem = idPatternProblem(pattern);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
