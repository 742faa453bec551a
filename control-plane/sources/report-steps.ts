// The report steps of a job (Flux's "one place that reports"): recorded before they are sent, each one marked done on
// its own, so a retry resumes after the last step GitHub took; each step is find-or-create inside the reporter.
import { composeCommitReport, type ReportSection } from "../github/commit-report.ts";
import type { GitHubReporter } from "../github/reporter.ts";

/** A report GitHub has not taken yet (kept, so a retry re-sends it without publishing again). */
export type ReportAction =
  | { kind: "commit"; sha: string; section: ReportSection }
  | { kind: "comment"; number: number; body: string }
  | { kind: "deployment"; number: number; sha: string; state: "success" | "failure" | "inactive"; url?: string };

/** Where a ref's last outcome and its unsent reports are kept. */
export interface ReportLedger {
  /** The sha last handled for a key (`refs/heads/main`, or `pr-<n>`), null once deleted, with unsent reports. */
  last(key: string): Promise<{ sha: string | null; pending: ReportAction[] } | undefined>;
  record(key: string, sha: string | null, pending: ReportAction[]): Promise<void>;
  /** The sections every ref reported about a commit, in the order they first reported (one check run per commit). */
  sections: { put(sha: string, section: ReportSection): Promise<void>; of(sha: string): Promise<ReportSection[]> };
}

export interface ReportDeps {
  reporter: GitHubReporter;
  ledger: ReportLedger;
  /** The full report page of a commit on objects.do (linked from the check run, the status and the comment). */
  reportUrl(sha: string): string;
}

/** Sends one report (find-or-create in the reporter: sending it twice makes nothing twice). */
export async function perform(deps: ReportDeps, action: ReportAction): Promise<void> {
  if (action.kind === "commit") {
    await deps.ledger.sections.put(action.sha, action.section);
    await deps.reporter.commit(action.sha, composeCommitReport(await deps.ledger.sections.of(action.sha), deps.reportUrl(action.sha)));
  } else if (action.kind === "comment") await deps.reporter.previewComment(action.number, action.body);
  else await deps.reporter.deployment(action.number, action.sha, action.state === "inactive" ? { state: "inactive" } : { state: action.state, ...(action.url ? { url: action.url } : {}) });
}

/** Sends `pending` in order, recording after each step what is left. */
export async function replay(deps: ReportDeps, key: string, sha: string | null, pending: readonly ReportAction[]): Promise<void> {
  for (let index = 0; index < pending.length; index++) {
    await perform(deps, pending[index]!);
    await deps.ledger.record(key, sha, pending.slice(index + 1));
  }
}

/** Records the outcome of a job with its reports, then sends them. */
export async function settle(deps: ReportDeps, key: string, sha: string | null, actions: readonly ReportAction[]): Promise<void> {
  await deps.ledger.record(key, sha, [...actions]);
  await replay(deps, key, sha, actions);
}
