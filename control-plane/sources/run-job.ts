// One job of a connected repository, as ordered steps: read the remote's current ref → fetch the commit →
// prepare → apply → report (the one step that talks to GitHub, replayed until GitHub takes it).
import type { GitSource } from "../git/remote-source.ts";
import type { BranchObjects } from "../git/receive-pack.ts";
import type { ReportSection } from "../github/commit-report.ts";
import { closedCommentBody, failureReport, previewCommentBody, successReport } from "../github/report-text.ts";
import type { GitHubReporter } from "../github/reporter.ts";
import type { PipelineDeps, Publisher } from "../pipeline/publish-commit.ts";
import { publishRef, type RefChange } from "../pipeline/publish-ref.ts";
import { objectsKey, refLabel, targetOf } from "../pipeline/targets.ts";
import type { Job } from "../../schemas/index.ts";
import type { CommitInfo } from "../git/read-commit.ts";
import type { RepoEntry } from "../../definitions/index.ts";
import { previewAllowed, waitingCommentBody, waitingReport, type Approvals, type Collaborators } from "./fork-approval.ts";
import { replay, settle, type ReportAction, type ReportLedger } from "./report-steps.ts";

export type { ReportAction } from "./report-steps.ts";

/** What a connected repository remembers between jobs. */
export interface SourceState extends ReportLedger {
  objects: BranchObjects;
  approvals: Approvals;
}

/** Whether a pull request is still open (a late `synchronize` must not resurrect a closed preview). */
export interface PullRequests {
  isOpen(number: number): Promise<boolean>;
}

export interface SourceDeps {
  repo: string;
  origin: string;
  defaultBranch: string;
  pipeline: PipelineDeps;
  source: GitSource;
  reporter: GitHubReporter;
  pulls: PullRequests;
  collaborators: Collaborators;
  state: SourceState;
  /** The connection: the scopes of the token that connected the repository decide what its commits may change. */
  publisher: Publisher;
  /** The full report page of a commit on objects.do. */
  reportUrl(sha: string): string;
}

/** How a ref names its section of a commit's check run: `@latest`, `@feature`, `@pr-7`, `v1.2.0`. */
export function sectionLabel(ref: RefChange["ref"], defaultBranch: string): string {
  if (typeof ref !== "string") return `@pr-${ref.preview}`;
  const named = targetOf(ref, defaultBranch);
  if (!named.ok) return ref;
  return named.target.kind === "tag" ? named.target.name : `@${refLabel(named.target)}`;
}

const reports = (deps: SourceDeps) => ({ reporter: deps.reporter, ledger: deps.state, reportUrl: deps.reportUrl });

/** Publishes (or retires) what a ref names now and lists the reports of the outcome. */
async function publish(deps: SourceDeps, ref: RefChange["ref"], commit: { meta: CommitInfo; entries: RepoEntry[] } | null): Promise<ReportAction[]> {
  const change: RefChange = { repo: deps.repo, origin: deps.origin, ref, defaultBranch: deps.defaultBranch, commit, publisher: deps.publisher };
  const outcome = await publishRef({ pipeline: deps.pipeline, objects: deps.state.objects }, change);
  const preview = typeof ref === "string" ? undefined : ref.preview;
  if (!commit) {
    if (!outcome.ok) console.warn(`${deps.repo} ${typeof ref === "string" ? ref : `pr-${preview}`}: not retired: ${outcome.lines.join("; ")}`);
    return [];
  }
  const sha = commit.meta.oid;
  const where = sectionLabel(ref, deps.defaultBranch);
  const link = deps.reportUrl(sha);
  if (!outcome.ok) {
    const section: ReportSection = { ref: where, report: failureReport(outcome.lines, outcome.issues), lines: outcome.lines, ...(outcome.issues ? { issues: outcome.issues } : {}) };
    const actions: ReportAction[] = [{ kind: "commit", sha, section }];
    if (preview !== undefined) {
      actions.push({ kind: "comment", number: preview, body: previewCommentBody(preview, sha, { refused: outcome.lines }, link) });
      actions.push({ kind: "deployment", number: preview, sha, state: "failure" });
    }
    return actions;
  }
  const { outcomes } = outcome;
  const actions: ReportAction[] = [{ kind: "commit", sha, section: { ref: where, report: successReport(outcomes, where, outcome.warnings), outcomes, lines: outcome.lines } }];
  if (preview !== undefined) {
    const url = outcomes.find((o) => o.status !== "removed")?.urls.find((u) => u.endsWith(`@pr-${preview}`));
    actions.push({ kind: "comment", number: preview, body: previewCommentBody(preview, sha, outcomes, link) });
    actions.push({ kind: "deployment", number: preview, sha, state: "success", ...(url ? { url } : {}) });
  }
  return actions;
}

async function refJob(deps: SourceDeps, job: Extract<Job, { kind: "ref" }>): Promise<string> {
  // The remote's current value decides, whatever the delivery said: late or duplicate deliveries change nothing,
  // and a branch never moves backwards unless the remote itself did.
  const current = (await deps.source.listRefs()).get(job.ref) ?? null;
  const last = await deps.state.last(job.ref);
  if (last && last.sha === current) {
    await replay(reports(deps), job.ref, current, last.pending);
    return `${job.ref} already at ${current?.slice(0, 7) ?? "(deleted)"}`;
  }
  if (current === null) {
    await settle(reports(deps), job.ref, null, await publish(deps, job.ref, null));
    return `${job.ref} deleted`;
  }
  const named = targetOf(job.ref, deps.defaultBranch);
  // A ref that cannot publish is reported once on its commit and remembered, so reconciling does not repeat it.
  if (!named.ok) {
    const lines = [`${named.reason}; nothing was published`];
    await settle(reports(deps), job.ref, current, [{ kind: "commit", sha: current, section: { ref: job.ref, report: failureReport(lines), lines } }]);
    return `${job.ref} refused: ${named.reason}`;
  }
  const { commit, entries } = await deps.source.readCommit(job.ref);
  // What the remote lists is recorded (an annotated tag's object, not the commit it peels to): reconciling compares
  // the two, and must find them equal once this job is done.
  await settle(reports(deps), job.ref, current, await publish(deps, job.ref, { meta: commit, entries }));
  return `${job.ref} at ${commit.oid.slice(0, 7)}`;
}

async function pullRequestJob(deps: SourceDeps, job: Extract<Job, { kind: "pull_request" }>): Promise<string> {
  const key = objectsKey({ kind: "preview", number: job.number });
  const last = await deps.state.last(key);
  if (job.action === "closed" || !(await deps.pulls.isOpen(job.number))) {
    const ids = [...(await deps.state.objects.get(key)).keys()];
    if (last?.sha === null && ids.length === 0 && last.pending.length === 0) return `preview ${key} already deleted`;
    await publish(deps, { preview: job.number }, null);
    await settle(reports(deps), key, null, [
      { kind: "comment", number: job.number, body: closedCommentBody(job.number) },
      { kind: "deployment", number: job.number, sha: job.sha, state: "inactive" },
    ]);
    return `preview ${key} deleted`;
  }
  const { commit, entries } = await deps.source.readCommit(`refs/pull/${job.number}/head`);
  if (last && last.sha === commit.oid) {
    await replay(reports(deps), key, commit.oid, last.pending);
    return `preview ${key} already at ${commit.oid.slice(0, 7)}`;
  }
  if (!(await previewAllowed(deps.state.approvals, job.number, commit.oid, job.fork))) {
    await settle(reports(deps), key, commit.oid, [
      { kind: "commit", sha: commit.oid, section: { ref: `@pr-${job.number}`, report: await waitingReport(deps.state.approvals, job.number, commit.oid) } },
      { kind: "comment", number: job.number, body: waitingCommentBody(job.number, commit.oid) },
    ]);
    return `preview ${key} waits for approval of ${commit.oid.slice(0, 7)} (a fork)`;
  }
  await settle(reports(deps), key, commit.oid, await publish(deps, { preview: job.number }, { meta: commit, entries }));
  return `preview ${key} at ${commit.oid.slice(0, 7)}`;
}

/** A collaborator approved the head commit of a pull request: it is previewed, and later commits wait again. */
async function approvalJob(deps: SourceDeps, job: Extract<Job, { kind: "approve_preview" }>): Promise<string> {
  const key = objectsKey({ kind: "preview", number: job.number });
  if (!(await deps.pulls.isOpen(job.number))) return `preview ${key}: the pull request is closed`;
  if (!(await deps.collaborators.canApprove(job.approver))) return `preview ${key}: ${job.approver} may not approve (write access is needed)`;
  const { commit, entries } = await deps.source.readCommit(`refs/pull/${job.number}/head`);
  await deps.state.approvals.set(job.number, commit.oid, job.approver);
  await settle(reports(deps), key, commit.oid, await publish(deps, { preview: job.number }, { meta: commit, entries }));
  return `preview ${key} at ${commit.oid.slice(0, 7)}, approved by ${job.approver}`;
}

/** Runs one job; throws ObjectsError (retryable for network and 5xx failures) when it cannot finish. */
export function runJob(deps: SourceDeps, job: Job): Promise<string> {
  if (job.kind === "ref") return refJob(deps, job);
  return job.kind === "pull_request" ? pullRequestJob(deps, job) : approvalJob(deps, job);
}
