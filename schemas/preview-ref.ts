// The refs of previews, written and read here only (registry/ref.ts parses them among every other ref; the
// dashboard, the CLI and the GitHub source read them through these): `pr-<n>` for a pull request, `preview-<topic>`
// for a preview pushed straight to objects.do. Pure, and free of libraries: the dashboard's browser bundle imports it.

const PULL_REQUEST = /^pr-([1-9]\d{0,9})$/;
const TOPIC_PREFIX = "preview-";
/** A preview topic: lowercase letters, digits and inner hyphens, at most 40 (it names a URL and an environment). */
export const TOPIC = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** `pr-42`. */
export const pullRequestRef = (number: number): string => `pr-${number}`;

/** The pull request a ref names (`pr-42` → 42), or null. */
export function pullRequestOf(ref: string): number | null {
  const match = PULL_REQUEST.exec(ref);
  return match ? Number(match[1]) : null;
}

/** `preview-login`. */
export const topicRef = (topic: string): string => `${TOPIC_PREFIX}${topic}`;

/** The topic a ref names (`preview-login` → `login`), or null. */
export function topicOf(ref: string): string | null {
  return ref.startsWith(TOPIC_PREFIX) && TOPIC.test(ref.slice(TOPIC_PREFIX.length)) ? ref.slice(TOPIC_PREFIX.length) : null;
}

/** Whether a ref names a preview (of a pull request or a topic). */
export const isPreviewRef = (ref: string): boolean => pullRequestOf(ref) !== null || topicOf(ref) !== null;
