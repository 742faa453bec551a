// Public surface of core/: what every layer shares: the error value and its catalogue, reading bodies (limited text,
// JSON with located problems, zod issues), the URL space (its surfaces and the grammar of object paths), the outbound URL policy and deadlines,
// and the local supervisor's protocol (loader ids, in-flight lines).
export * from "./errors.ts";
export * from "./error-codes.ts";
export * from "./limited-text.ts";
export { parseJsonText, jsonDepth, pointerOf, pointerSegment, forbiddenKeyIssues, withoutForbiddenKeys, MAX_JSON_DEPTH } from "./json-text.ts";
export { issuesFromZod } from "./zod-issues.ts";
export * from "./object-path.ts";
export * from "./url-space.ts";
export * from "./url-policy.ts";
export * from "./deadline.ts";
export * from "./supervision.ts";
