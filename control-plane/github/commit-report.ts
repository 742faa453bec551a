// One check run per commit (pure): the sections its refs reported, merged and fitted to GitHub's documented limits.
import type { Issue } from "../../schemas/index.ts";
import type { ObjectOutcome } from "../pipeline/summarize.ts";
import type { CheckAnnotation, CommitReport } from "./reporter.ts";

/** GitHub's limits on what objects.do sends (REST docs: check runs, issue comments, commit statuses). */
export const GITHUB_LIMITS = {
  summary: 65_535,
  text: 65_535,
  title: 255,
  annotationsPerRequest: 50,
  annotationMessage: 65_535,
  annotationTitle: 255,
  comment: 65_536,
  statusDescription: 140,
} as const;

/** What one ref (`@latest`, `@pr-7`, `v1.2.0`) reported about a commit, with everything the full report page shows. */
export interface ReportSection {
  ref: string;
  report: CommitReport;
  outcomes?: ObjectOutcome[];
  issues?: Issue[];
  lines?: string[];
}

/** `text` cut at a line break to fit `max` characters, ending with a line that says how much was left out. */
export function fit(text: string, max: number, reportUrl?: string): string {
  if (text.length <= max) return text;
  const note = (left: number) => `\n\n… ${left} more characters were left out (GitHub allows ${max})${reportUrl ? `: the full report is at ${reportUrl}` : ""}.`;
  const room = max - note(text.length).length;
  const cut = text.lastIndexOf("\n", room) > room / 2 ? text.lastIndexOf("\n", room) : room;
  return `${text.slice(0, cut)}${note(text.length - cut)}`;
}

/** One line of at most `max` characters, ending in `…` when cut. */
export const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

const RANK: Record<CommitReport["conclusion"], number> = { success: 0, neutral: 1, failure: 2 };

/** The check run of a commit from its sections, in the order the refs first reported. */
export function composeCommitReport(sections: readonly ReportSection[], reportUrl?: string): CommitReport {
  const conclusion = sections.reduce<CommitReport["conclusion"]>((worst, { report }) => (RANK[report.conclusion] > RANK[worst] ? report.conclusion : worst), "success");
  const title = sections.length === 1 ? sections[0]!.report.title : sections.map(({ ref, report }) => `${ref}: ${report.title}`).join(" · ");
  const body = sections.length === 1 ? sections[0]!.report.summary : sections.map(({ ref, report }) => `### ${ref}\n\n${report.summary}`).join("\n\n");
  const link = reportUrl ? `\n\n[Full report](${reportUrl}): every object, URL, problem and contract change.` : "";
  const annotations: CheckAnnotation[] = sections.flatMap(({ report }) => report.annotations).map((annotation) => ({
    ...annotation,
    message: clip(annotation.message, GITHUB_LIMITS.annotationMessage),
    title: clip(annotation.title, GITHUB_LIMITS.annotationTitle),
  }));
  return {
    conclusion,
    title: clip(title, GITHUB_LIMITS.title),
    summary: fit(`${body}${link}`, GITHUB_LIMITS.summary, reportUrl),
    annotations,
    ...(reportUrl ? { detailsUrl: reportUrl } : {}),
  };
}
