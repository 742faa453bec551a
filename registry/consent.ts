// The ownership rule for whatever one object does that reaches another (pure): today, events bubbling to `$context`.
import { anyCovers, isObjectId, printable, type Issue } from "../schemas/index.ts";

export type Consent = { ok: true } | { ok: false; reason: string };

/** The object id a `$context` names (`startup.do`, `https://startup.do/`), or undefined. */
export function contextId(context: unknown): string | undefined {
  if (typeof context !== "string") return undefined;
  const id = context.replace(/^https?:\/\//, "").replace(/\/+$/, "");
  return isObjectId(id) ? id : undefined;
}

/**
 * `child` may reach `parent` when whoever published the child's version could publish the parent too (the scopes of
 * their token cover it), or when the parent's definition names the child in `accepts`.
 */
export function consentOf(child: { id: string; publisherScopes: readonly string[] }, parent: { id: string; accepts: readonly string[] | undefined }): Consent {
  if (anyCovers(child.publisherScopes, parent.id) || anyCovers(parent.accepts ?? [], child.id)) return { ok: true };
  return { ok: false, reason: `${parent.id} does not accept ${child.id}: the scope that published ${child.id} does not cover ${parent.id}, and ${parent.id}'s "accepts" does not name ${child.id}` };
}

/** What the publish-time check needs to know of a parent: its `accepts`, or null when it has no `latest`. */
export type ParentLookup = (id: string) => Promise<{ accepts?: string[] | undefined } | null>;

/** The publish-time check of a definition's `$context`: null when the parent accepts it, else the issue to report. */
export async function contextIssue(definition: { $id: string; $context?: string | undefined }, publisherScopes: readonly string[], parentOf: ParentLookup): Promise<Issue | null> {
  if (definition.$context === undefined) return null;
  const parent = contextId(definition.$context);
  if (!parent) return { path: "/$context", code: "context-invalid", message: `"${printable(definition.$context.slice(0, 100))}" does not name an object (an id, or https://<id>/)` };
  if (parent === definition.$id || anyCovers(publisherScopes, parent)) return null;
  const consent = consentOf({ id: definition.$id, publisherScopes }, { id: parent, accepts: (await parentOf(parent))?.accepts });
  return consent.ok ? null : { path: "/$context", code: "context-refused", message: consent.reason };
}
