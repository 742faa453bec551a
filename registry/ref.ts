// The ref grammar of `<id>@<ref>`: parse and print, pure; which environment (state) a ref runs in.
import semver from "semver";
import { ObjectsError } from "../core/index.ts";

export type Ref =
  | { kind: "latest" }
  | { kind: "version"; version: string }
  | { kind: "range"; range: string }
  | { kind: "hash"; prefix: string }
  | { kind: "pr"; number: number }
  | { kind: "branch"; name: string };

const EXACT_VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const HEX_PREFIX = /^[0-9a-f]{4,64}$/;
const PULL_REQUEST = /^pr-([1-9]\d{0,9})$/;
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
 * `pr-<n>`, a semver range, then a branch name; `heads/<name>` is always the branch. Throws `ref-invalid` (400)
 * when nothing matches.
 */
export function parseRef(text: string): Ref {
  if (text.startsWith(EXPLICIT_BRANCH) && BRANCH.test(text.slice(EXPLICIT_BRANCH.length))) return { kind: "branch", name: text.slice(EXPLICIT_BRANCH.length) };
  if (text === "" || text === "latest") return { kind: "latest" };
  if (EXACT_VERSION.test(text)) return { kind: "version", version: semver.valid(text)! };
  if (HEX_PREFIX.test(text)) return { kind: "hash", prefix: text };
  const pr = PULL_REQUEST.exec(text);
  if (pr) return { kind: "pr", number: Number(pr[1]) };
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
      return `pr-${ref.number}`;
    case "branch": {
      const bare = parseRef(ref.name);
      return bare.kind === "branch" && bare.name === ref.name ? ref.name : `${EXPLICIT_BRANCH}${ref.name}`;
    }
  }
}

/** The name a moving ref is stored under in the ref store. */
export function refKey(ref: Extract<Ref, { kind: "latest" | "pr" | "branch" }>): string {
  if (ref.kind === "latest") return "latest";
  if (ref.kind === "pr") return `pr-${ref.number}`;
  return `heads/${ref.name}`;
}

/** Production refs share the object's production state; a pull request or branch runs in its own environment. */
export function environmentOf(ref: Ref): string {
  if (ref.kind === "pr") return `pr-${ref.number}`;
  if (ref.kind === "branch") return `branch-${ref.name}`;
  return "production";
}
