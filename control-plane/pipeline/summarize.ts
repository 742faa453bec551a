// The lines a push prints (as `remote:`) and a check run shows: problems at file:line:col, objects with their URLs.
import { diffHeadline, diffLines, type ContractDiff } from "../../definitions/index.ts";
import type { Issue } from "../../schemas/index.ts";

export interface ObjectOutcome {
  id: string;
  status: "published" | "unchanged" | "removed";
  hash?: string;
  /** Where it answers now: `@<short sha>`, `@latest`, `@v1.0.0`, … */
  urls: string[];
  /** The contract diff against what it replaces (published objects). */
  diff?: ContractDiff;
  /** What a new preview object's state starts as (forked from production, or why not). */
  state?: string;
  /** What the publication did to rollouts: started one (latest stays where it was), or ended the one running. */
  rollout?: string;
}

/** `crm.acme.com/api/x.js:3:7 SyntaxError: …` for every issue, sorted as the compiler sorted them. */
export function issueLines(issues: readonly Issue[]): string[] {
  return issues.map((issue) => {
    const where = issue.file ? `${issue.file}${issue.line ? `:${issue.line}${issue.column ? `:${issue.column}` : ""}` : ""}` : issue.path || "(commit)";
    return `${where} ${issue.message}${issue.file && issue.path ? ` (${issue.path})` : ""}`;
  });
}

/** One line per object: its id, what happened, and its URLs. */
export function outcomeLines(outcomes: readonly ObjectOutcome[]): string[] {
  const width = Math.max(0, ...outcomes.map((outcome) => outcome.id.length));
  return outcomes.map((outcome) => `${outcome.id.padEnd(width)}  ${outcome.status.padEnd(9)}  ${outcome.urls.join("  ")}`.trimEnd());
}

/** What each new preview object's state starts as, and each rollout a publication started or ended. */
export const stateLines = (outcomes: readonly ObjectOutcome[]) => outcomes.flatMap(({ id, state, rollout }) => [...(state ? [`${id}: ${state}`] : []), ...(rollout ? [rollout] : [])]);

/** The contract diff of every object that published something other than what its ref served: headline, then changes. */
export function contractLines(outcomes: readonly ObjectOutcome[]): string[] {
  return outcomes.flatMap(({ id, diff }) => {
    if (!diff || (diff.from && diff.from.hash === diff.to.hash)) return [];
    return [`contract of ${id}: ${diffHeadline(diff)}`, ...diffLines(diff).map((line) => `  ${line}`)];
  });
}
