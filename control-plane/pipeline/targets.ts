// What a git ref means for publishing (pure): the default branch is `latest`, other branches their own ref and
// environment, a pull request its preview, `refs/for/<branch>/<topic>` a preview pushed without GitHub, `v1.2.3` tags
// a version of every object, `<id>@1.2.3` a version of one.
// Every name is checked here, before anything moves: git's own rules, then what `@<ref>` can address.
import semver from "semver";
import { declaredVersion } from "../../definitions/index.ts";
import { branchNameProblem, environmentOf, printRef, refKey, TOPIC, type MovingRef } from "../../registry/index.ts";
import { checkObjectId, printable, type NormalizedDefinition } from "../../schemas/index.ts";
import { refFormatProblem } from "./ref-format.ts";

export type GitTarget =
  | { kind: "branch"; name: string; isDefault: boolean }
  | { kind: "preview"; number: number }
  /** `refs/for/<branch>/<topic>`: a preview named `preview-<topic>`, proposed for `branch`. */
  | { kind: "topic"; topic: string; branch: string; ref: string }
  | { kind: "tag"; name: string; version?: string; only?: string };

/** Targets that own a moving ref (and so an object list that can lose members). */
export type MovingTarget = Exclude<GitTarget, { kind: "tag" }>;

export type TargetOf = { ok: true; target: GitTarget } | { ok: false; reason: string };

function tagTarget(name: string): TargetOf {
  const at = name.lastIndexOf("@");
  if (at > 0) {
    const version = semver.valid(name.slice(at + 1));
    if (!version) return { ok: true, target: { kind: "tag", name } };
    const id = checkObjectId(name.slice(0, at));
    return id.ok ? { ok: true, target: { kind: "tag", name, version, only: name.slice(0, at) } } : { ok: false, reason: `tag ${printable(name)}: ${id.message}` };
  }
  const version = /^v\d/.test(name) ? semver.valid(name) : null;
  return { ok: true, target: version ? { kind: "tag", name, version } : { kind: "tag", name } };
}

export const TOPIC_REFS = "refs/for/";

/** `refs/for/<branch>/<topic>` (the AGit flow): the last segment is the topic, the rest the branch it is proposed for. */
function topicTarget(ref: string, defaultBranch: string): TargetOf {
  const rest = ref.slice(TOPIC_REFS.length);
  const slash = rest.lastIndexOf("/");
  if (slash <= 0) return { ok: false, reason: `a preview is pushed to ${TOPIC_REFS}<branch>/<topic>, e.g. ${TOPIC_REFS}${defaultBranch}/my-change` };
  const branch = rest.slice(0, slash);
  const topic = rest.slice(slash + 1);
  if (!TOPIC.test(topic)) return { ok: false, reason: `topic ${printable(topic)}: a topic has 1–40 characters of a–z 0–9 and inner "-" (it names the preview, preview-<topic>)` };
  const problem = branch === defaultBranch ? null : branchNameProblem(branch);
  return problem ? { ok: false, reason: `branch ${printable(branch)}: ${problem}` } : { ok: true, target: { kind: "topic", topic, branch, ref } };
}

/** The target of a full ref name (`refs/heads/main`, `refs/tags/v1.0.0`), or why that ref can publish nothing. */
export function targetOf(ref: string, defaultBranch: string): TargetOf {
  if (!ref.startsWith("refs/heads/") && !ref.startsWith("refs/tags/") && !ref.startsWith(TOPIC_REFS)) return { ok: false, reason: `only refs/heads/*, refs/tags/* and ${TOPIC_REFS}<branch>/<topic> are accepted` };
  const format = refFormatProblem(ref);
  if (format) return { ok: false, reason: format };
  if (ref.startsWith(TOPIC_REFS)) return topicTarget(ref, defaultBranch);
  if (ref.startsWith("refs/tags/")) return tagTarget(ref.slice("refs/tags/".length));
  const name = ref.slice("refs/heads/".length);
  const problem = name === defaultBranch ? null : branchNameProblem(name);
  return problem ? { ok: false, reason: `branch ${printable(name)}: ${problem}` } : { ok: true, target: { kind: "branch", name, isDefault: name === defaultBranch } };
}

/** How the registry names what a moving target serves: `latest`, a branch, `pr-<n>`, `preview-<topic>`. */
function registryRef(target: MovingTarget): MovingRef {
  if (target.kind === "preview") return { kind: "pr", number: target.number };
  if (target.kind === "topic") return { kind: "topic", topic: target.topic };
  return target.isDefault ? { kind: "latest" } : { kind: "branch", name: target.name };
}

/** The registry ref a target moves: `latest`, `heads/<name>`, `pr-<n>`. */
export const movingRef = (target: MovingTarget) => refKey(registryRef(target));

/** How an object is addressed there in URLs (`@latest`, `@feature`, `@heads/v1`, `@pr-7`). */
export const refLabel = (target: MovingTarget) => printRef(registryRef(target));

/** The key a target's object list is kept under (a branch name, `pr-<n>` or `preview-<topic>`). */
export const objectsKey = (target: MovingTarget) => (target.kind === "branch" ? target.name : refLabel(target));

/** Previews (a pull request's, a pushed topic's): compared with production, listed, expiring, maybe forked. */
export const isPreview = (target: GitTarget): target is Extract<GitTarget, { kind: "preview" | "topic" }> => target.kind === "preview" || target.kind === "topic";

/** Whose state calls at that target use: the runtime's environment of the ref it moves (tags: production). */
export const environmentOfTarget = (target: GitTarget) => (target.kind === "tag" ? "production" : environmentOf(registryRef(target)));

/** Refs to move and the version to record when publishing one object from a target; null: not published there. */
export function publicationOf(target: GitTarget, id: string, definition: NormalizedDefinition): { refs: string[]; version?: string } | null {
  if (target.kind !== "tag") {
    const declared = target.kind === "branch" && target.isDefault ? declaredVersion(definition) : undefined;
    return { refs: [movingRef(target)], ...(declared ? { version: declared } : {}) };
  }
  if (!target.version || (target.only !== undefined && target.only !== id)) return null;
  return { refs: [], version: target.version };
}
