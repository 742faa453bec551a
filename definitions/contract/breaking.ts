// Whether a re-signed method breaks a caller (pure). Breaking means a call that worked stops working: a removed
// parameter, a new or newly required one, a rest parameter made single, a changed declared type or return. Adding a
// return annotation or an optional trailing parameter breaks nobody; a renamed parameter breaks only callers that
// name arguments (MCP tools), not positional ones.
import type { MethodDescription, Parameter } from "./describe-method.ts";

function parameterBreaks(before: Parameter | undefined, after: Parameter | undefined, named: boolean): boolean {
  if (!after) return before !== undefined;
  if (!before) return !after.optional;
  if (before.optional && !after.optional) return true;
  if (before.rest && !after.rest) return true;
  if (before.type && after.type && before.type !== after.type) return true;
  return named && before.name !== after.name;
}

/** True when a caller of `before` may fail against `after`; `named`: callers pass arguments by name. */
export function callerBreaks(before: MethodDescription, after: MethodDescription, named: boolean): boolean {
  const length = Math.max(before.params.length, after.params.length);
  for (let index = 0; index < length; index++) {
    if (parameterBreaks(before.params[index], after.params[index], named)) return true;
  }
  return before.returns !== undefined && after.returns !== undefined && before.returns !== after.returns;
}
