// What a check run and the preview comment say (pure): object URLs on success, every located problem on failure.
import { diffMarkdown } from "../../definitions/index.ts";
import { printable, type Issue } from "../../schemas/index.ts";
import { stateLines, type ObjectOutcome } from "../pipeline/summarize.ts";
import type { CheckAnnotation, CommitReport } from "./reporter.ts";

const table = (outcomes: readonly ObjectOutcome[]) =>
  [
    "| object | status | URLs |",
    "|---|---|---|",
    ...outcomes.map((o) => `| \`${o.id}\` | ${o.status} | ${o.urls.map((url) => `[${url.replace(/^https?:\/\//, "")}](${url})`).join("<br>")} |`),
    ...stateSection(outcomes),
  ].join("\n");

/** What new preview objects' state starts as, under the table. */
function stateSection(outcomes: readonly ObjectOutcome[]): string[] {
  const lines = stateLines(outcomes);
  return lines.length === 0 ? [] : ["", ...lines.map((line) => `- ${printable(line)}`)];
}

/** "Contract changes": one paragraph per object whose contract this commit changes; empty when none does. */
function contractSection(outcomes: readonly ObjectOutcome[]): string[] {
  const changed = outcomes.filter(({ diff }) => diff && (!diff.from || diff.from.hash !== diff.to.hash));
  return changed.length === 0 ? [] : ["", "#### Contract changes", "", changed.map(({ id, diff }) => diffMarkdown(id, diff!)).join("\n\n")];
}

const breakingCount = (outcomes: readonly ObjectOutcome[]) => outcomes.filter(({ diff }) => diff?.breaking).length;
const rangeBreaks = (outcomes: readonly ObjectOutcome[]) => outcomes.filter(({ diff }) => diff?.rangeBreak);

/** Warnings of a commit that published anyway (patterns that cannot be checked): a section and annotations. */
function warningSection(warnings: readonly Issue[]): string[] {
  return warnings.length === 0 ? [] : ["", "#### Warnings", "", ...warnings.map((w) => `- \`${printable(`${w.file ?? w.path}${w.line ? `:${w.line}` : ""}`)}\` ${printable(w.message)}`)];
}

/** The check run of a commit that published. */
export function successReport(outcomes: readonly ObjectOutcome[], where: string, warnings: readonly Issue[] = []): CommitReport {
  const published = outcomes.filter((o) => o.status === "published").length;
  // A breaking change published inside a pinned range went live, but it is a mistake worth a different colour.
  const ranged = rangeBreaks(outcomes);
  return {
    conclusion: ranged.length > 0 ? "neutral" : "success",
    title: `${outcomes.length} object(s) at ${where}: ${published} published, ${outcomes.length - published} unchanged or removed${breakingCount(outcomes) ? `; ${breakingCount(outcomes)} with breaking changes` : ""}${ranged.length ? ` (${ranged.map(({ id, diff }) => `${id} ${diff!.rangeBreak!.to} breaks ${diff!.rangeBreak!.range}`).join(", ")})` : ""}`,
    summary: outcomes.length > 0 ? [table(outcomes), ...contractSection(outcomes), ...warningSection(warnings)].join("\n") : "No definitions in this commit.",
    annotations: warnings.filter((w) => w.file).map((w) => ({ path: w.file!, line: w.line ?? 1, message: printable(w.message), title: w.code, level: "warning" as const })),
  };
}

/** The check run of a refused commit: one annotation per located problem. Text from the commit is escaped. */
export function failureReport(lines: readonly string[], issues: readonly Issue[] = []): CommitReport {
  const annotations: CheckAnnotation[] = issues.filter((issue) => issue.file).map((issue) => ({ path: issue.file!, line: issue.line ?? 1, message: printable(issue.message), title: issue.code }));
  return {
    conclusion: "failure",
    title: printable(lines[0] ?? "the definitions were refused"),
    summary: ["Nothing was published; what was live stays live.", "", ...lines.slice(1).map((line) => `- ${printable(line)}`)].join("\n"),
    annotations,
  };
}

/** The preview comment of a pull request, with a link to the full report of the commit when there is one. */
export function previewCommentBody(number: number, sha: string, outcomes: readonly ObjectOutcome[] | { refused: readonly string[] }, reportUrl?: string): string {
  // The link comes first: a comment past GitHub's limit is cut at its end.
  const link = reportUrl ? ` [Full report](${reportUrl}).` : "";
  if ("refused" in outcomes) return [`### objects.do preview of #${number}`, "", `Commit ${sha.slice(0, 7)} was refused; the preview still serves the last good commit.${link}`, "", ...outcomes.refused.map((line) => `- ${printable(line)}`)].join("\n");
  return [`### objects.do preview of #${number}`, "", `Updated for ${sha.slice(0, 7)}. Each preview has its own state.${link}`, "", table(outcomes), ...contractSection(outcomes)].join("\n");
}

/** The comment once the pull request closed. */
export const closedCommentBody = (number: number) => `### objects.do preview of #${number}\n\nThe pull request was closed: its preview objects and their state were deleted.`;
