// The ref grammar of `<id>@<ref>`: parse and print, pure; which environment (state) a ref runs in.
import semver from "semver";
import { ObjectsError } from "../core/index.ts";
import { isPreviewRef, pullRequestOf, pullRequestRef, topicOf, topicRef } from "../schemas/index.ts";

export { TOPIC } from "../schemas/index.ts";

export type Ref =
  | { kind: "latest" }
  | { kind: "version"; version: string }
  | { kind: "range"; range: string }
  | { kind: "hash"; prefix: string }
  | { kind: "pr"; number: number }
  /** A preview pushed straight to objects.do (`git push objects HEAD:refs/for/<branch>/<topic>`): `preview-<topic>`. */
  | { kind: "topic"; topic: string }
  | { kind: "branch"; name: string };

const EXACT_VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const HEX_PREFIX = /^[0-9a-f]{4,64}$/;
// Range text: digits, x/X/*, operators, dots, spaces, hyphens, `v`, and prerelease tags after a `-`.
const RANGE_TEXT = /^[\d.xX*^~<>=|\sv-]+(?:-[0-9A-Za-z.]+)?$/;
const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*\.lock$)(?!.*[/.]$)[A-Za-z0-9._/-]{1,200}$/;

/** Why a branch name cannot be served as `@<branch>` (git may allow more characters), or null when it can. */
export function branchNameProblem(name: string): string | null {
  if (name === "HEAD") return `"HEAD" cannot be a branch`;
  if (BRANCH.test(name)) return null;
  return "a branch served as @<branch> has 1–200 characters of A–Z a–z 0–9 . _ / - (not starting with \"-\"; no \"..\", \"//\", trailing \"/\", \".\" or \".lock\")";
}

/** Written before a branch name that would otherwise read as another kind of ref (`heads/x`, `heads/v1`, `heads/beef`). */
const EXPLICIT_BRANCH = "heads/";

/**
 * Parses the text after `@`. Order decides overlaps: `latest`, an exact version, a hex prefix of 4+ digits,
 * `pr-<n>`, `preview-<topic>`, a semver range, then a branch name; `heads/<name>` is always the branch. Throws `ref-invalid` (400)
 * when nothing matches.
 */
export function parseRef(text: string): Ref {
  if (text.startsWith(EXPLICIT_BRANCH) && BRANCH.test(text.slice(EXPLICIT_BRANCH.length))) return { kind: "branch", name: text.slice(EXPLICIT_BRANCH.length) };
  if (text === "" || text === "latest") return { kind: "latest" };
  if (EXACT_VERSION.test(text)) return { kind: "version", version: semver.valid(text)! };
  if (HEX_PREFIX.test(text)) return { kind: "hash", prefix: text };
  const pr = pullRequestOf(text);
  if (pr !== null) return { kind: "pr", number: pr };
  const topic = topicOf(text);
  if (topic !== null) return { kind: "topic", topic };
  if (RANGE_TEXT.test(text) && semver.validRange(text) !== null) return { kind: "range", range: text };
  if (BRANCH.test(text)) return { kind: "branch", name: text };
  throw new ObjectsError("ref-invalid", `"${text.slice(0, 80)}" is not a ref: use latest, v1.2.3, ^1, a hash prefix (4+ hex), pr-<n> or a branch`);
}

/** Prints a ref so that `parseRef(printRef(ref))` gives it back. */
export function printRef(ref: Ref): string {
  switch (ref.kind) {
    case "latest":
      return "latest";
    case "version":
      return `v${ref.version}`;
    case "range":
      return ref.range;
    case "hash":
      return ref.prefix;
    case "pr":
      return pullRequestRef(ref.number);
    case "topic":
      return topicRef(ref.topic);
    case "branch": {
      const bare = parseRef(ref.name);
      return bare.kind === "branch" && bare.name === ref.name ? ref.name : `${EXPLICIT_BRANCH}${ref.name}`;
    }
  }
}

/** The refs that move when something is published: `latest`, a branch, and the two kinds of preview. */
export type MovingRef = Extract<Ref, { kind: "latest" | "pr" | "topic" | "branch" }>;

/** The name a moving ref is stored under in the ref store. */
export function refKey(ref: MovingRef): string {
  if (ref.kind === "latest") return "latest";
  if (ref.kind === "pr" || ref.kind === "topic") return printRef(ref);
  return `heads/${ref.name}`;
}

/**
 * Production refs (latest, versions, ranges) share the object's production state; a preview or branch runs in its own
 * environment. A preview's environment is named as its ref (`pr-7`, `preview-login`), which no branch environment
 * (`branch-…`) can be. A hash has no environment of its own: where it was published decides (environments.ts).
 */
export function environmentOf(ref: Exclude<Ref, { kind: "hash" }>): string {
  if (ref.kind === "pr" || ref.kind === "topic") return printRef(ref);
  if (ref.kind === "branch") return `${BRANCH_ENVIRONMENT}${ref.name}`;
  return "production";
}

const BRANCH_ENVIRONMENT = "branch-";

/** The moving ref an environment serves (`latest`, `heads/x`, `pr-7`, `preview-t`): environmentOf's inverse. */
export function servedRefOf(environment: string): string {
  if (environment === "production") return "latest";
  if (environment.startsWith(BRANCH_ENVIRONMENT)) return `heads/${environment.slice(BRANCH_ENVIRONMENT.length)}`;
  return environment;
}

/** How an environment is named in messages: `@x` for `branch-x`, `@pr-7`, `@preview-t`, `@latest` for production. */
export function environmentLabel(environment: string): string {
  if (environment === "production") return "@latest";
  return `@${environment.startsWith(BRANCH_ENVIRONMENT) ? environment.slice(BRANCH_ENVIRONMENT.length) : environment}`;
}

/** Whether an environment is a preview's (a pull request's or a pushed topic's): the ref it serves, or null. */
export function previewRefOf(environment: string): string | null {
  if (environment === "production" || environment.startsWith(BRANCH_ENVIRONMENT)) return null;
  return isPreviewRef(environment) ? environment : null;
}
