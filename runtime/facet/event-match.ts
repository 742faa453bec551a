// Event-pattern matching (pure): `Noun.verb`, `Noun.*`, `*.verb`, and `*` for every event.

/** Whether an event name such as `Customer.created` matches a handler pattern. */
export function matchesEvent(pattern: string, name: string): boolean {
  if (pattern === "*") return true;
  const wanted = pattern.split(".");
  const actual = name.split(".");
  return wanted.length === actual.length && wanted.every((part, i) => part === "*" || part === actual[i]);
}

/** Indexes of the patterns (in declaration order) that match an event name. */
export function matchingHandlers(patterns: readonly string[], name: string): number[] {
  return patterns.flatMap((pattern, index) => (matchesEvent(pattern, name) ? [index] : []));
}
