// Pull requests from forks run strangers' code: no preview until a collaborator with write access approves the head
// commit (the `objects-preview` label or a `/preview` comment). An approval covers one commit; a new push waits again.
import type { CommitReport } from "../github/reporter.ts";
import { PREVIEW_COMMAND, PREVIEW_LABEL } from "../webhooks/map-event.ts";

/** The approved head commit of each pull request from a fork. */
export interface Approvals {
  get(number: number): Promise<{ sha: string; by: string } | undefined>;
  set(number: number, sha: string, by: string): Promise<void>;
}

/** Who may approve: a collaborator whose permission on the repository is write or admin (asked through the API). */
export interface Collaborators {
  canApprove(login: string): Promise<boolean>;
}

const HOW = `a collaborator with write access approves it by adding the label \`${PREVIEW_LABEL}\` to the pull request or by commenting \`${PREVIEW_COMMAND}\``;

/** Whether the preview may publish `sha`: always for pull requests from the repository itself. */
export async function previewAllowed(approvals: Approvals, number: number, sha: string, fork: boolean): Promise<boolean> {
  return !fork || (await approvals.get(number))?.sha === sha;
}

/** The check run of a fork's commit that waits for approval. */
export async function waitingReport(approvals: Approvals, number: number, sha: string): Promise<CommitReport> {
  const earlier = await approvals.get(number);
  const since = earlier ? ` ${earlier.by} approved ${earlier.sha.slice(0, 7)}; this commit came after, and needs its own approval.` : "";
  return {
    conclusion: "neutral",
    title: "The preview waits for approval: this pull request comes from a fork",
    summary: `Code from a fork does not run on objects.do until ${HOW} (each new commit needs a new approval; remove and re-add the label, or comment again).${since}`,
    annotations: [],
  };
}

/** The preview comment while the pull request waits. */
export const waitingCommentBody = (number: number, sha: string) =>
  `### objects.do preview of #${number}\n\nCommit ${sha.slice(0, 7)} comes from a fork: no preview runs until ${HOW}.`;
