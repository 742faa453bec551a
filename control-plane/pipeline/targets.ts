// What a git ref means for publishing (pure): the default branch is `latest`, other branches their own ref and
// environment, a pull request its preview, `v1.2.3` tags a version of every object, `<id>@1.2.3` a version of one.
import semver from "semver";
import { declaredVersion, printRef } from "../../registry/index.ts";
import type { NormalizedDefinition } from "../../schemas/index.ts";

export type GitTarget =
  | { kind: "branch"; name: string; isDefault: boolean }
  | { kind: "preview"; number: number }
  | { kind: "tag"; name: string; version?: string; only?: string };

/** Targets that own a moving ref (and so an object list that can lose members). */
export type MovingTarget = Exclude<GitTarget, { kind: "tag" }>;

/** The target of a full ref name (`refs/heads/main`, `refs/tags/v1.0.0`), or null for anything else. */
export function targetOf(ref: string, defaultBranch: string): GitTarget | null {
  if (ref.startsWith("refs/heads/")) {
    const name = ref.slice("refs/heads/".length);
    return { kind: "branch", name, isDefault: name === defaultBranch };
  }
  if (!ref.startsWith("refs/tags/")) return null;
  const name = ref.slice("refs/tags/".length);
  const at = name.lastIndexOf("@");
  if (at > 0) {
    const version = semver.valid(name.slice(at + 1));
    return version ? { kind: "tag", name, version, only: name.slice(0, at) } : { kind: "tag", name };
  }
  const version = /^v\d/.test(name) ? semver.valid(name) : null;
  return version ? { kind: "tag", name, version } : { kind: "tag", name };
}

/** The registry ref a target moves: `latest`, `heads/<name>`, `pr-<n>`. */
export function movingRef(target: MovingTarget): string {
  if (target.kind === "preview") return `pr-${target.number}`;
  return target.isDefault ? "latest" : `heads/${target.name}`;
}

/** How an object is addressed there in URLs (`@latest`, `@feature`, `@heads/v1`, `@pr-7`). */
export function refLabel(target: MovingTarget): string {
  if (target.kind === "preview") return `pr-${target.number}`;
  return target.isDefault ? "latest" : printRef({ kind: "branch", name: target.name });
}

/** The key a target's object list is kept under (a branch name, or `pr-<n>`). */
export const objectsKey = (target: MovingTarget) => (target.kind === "preview" ? `pr-${target.number}` : target.name);

/** Whose state calls at that target use: production, `branch-<name>` or `pr-<n>` (the runtime's environments). */
export function environmentOfTarget(target: GitTarget): string {
  if (target.kind === "preview") return `pr-${target.number}`;
  return target.kind === "branch" && !target.isDefault ? `branch-${target.name}` : "production";
}

/** Refs to move and the version to record when publishing one object from a target; null: not published there. */
export function publicationOf(target: GitTarget, id: string, definition: NormalizedDefinition): { refs: string[]; version?: string } | null {
  if (target.kind !== "tag") {
    const declared = target.kind === "branch" && target.isDefault ? declaredVersion(definition) : undefined;
    return { refs: [movingRef(target)], ...(declared ? { version: declared } : {}) };
  }
  if (!target.version || (target.only !== undefined && target.only !== id)) return null;
  return { refs: [], version: target.version };
}
