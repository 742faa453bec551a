// One job of a connected repository, as ordered steps: read the remote's current ref → fetch the commit →
// prepare → apply → report (the one step that talks to GitHub, replayed until GitHub takes it).
import type { GitSource } from "../git/remote-source.ts";
import type { BranchObjects } from "../git/receive-pack.ts";
import { closedCommentBody, failureReport, previewCommentBody, successReport } from "../github/report-text.ts";
import type { CommitReport, GitHubReporter } from "../github/reporter.ts";
import type { PipelineDeps, Publisher } from "../pipeline/publish-commit.ts";
import { publishRef, type RefChange } from "../pipeline/publish-ref.ts";
import { objectsKey, refLabel, targetOf } from "../pipeline/targets.ts";
import type { Job } from "../../schemas/index.ts";
import type { CommitInfo } from "../git/read-commit.ts";
import type { RepoEntry } from "../../registry/index.ts";
import { previewAllowed, waitingCommentBody, waitingReport, type Approvals, type Collaborators } from "./fork-approval.ts";

/** A report GitHub has not taken yet (kept, so a retry re-sends it without publishing again). */
export type ReportAction =
  | { kind: "commit"; sha: string; report: CommitReport }
  | { kind: "comment"; number: number; body: string }
  | { kind: "deployment"; number: number; sha: string; state: "success" | "failure" | "inactive"; url?: string };

/** What a connected repository remembers between jobs. */
export interface SourceState {
  /** The sha last handled for a ref (`refs/heads/main`, or `pr-<n>`), null once deleted, with unsent reports. */
  last(key: string): Promise<{ sha: string | null; pending: ReportAction[] } | undefined>;
  record(key: string, sha: string | null, pending: ReportAction[]): Promise<void>;
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
}

async function perform(reporter: GitHubReporter, action: ReportAction): Promise<void> {
  if (action.kind === "commit") await reporter.commit(action.sha, action.report);
  else if (action.kind === "comment") await reporter.previewComment(action.number, action.body);
  else await reporter.deployment(action.number, action.sha, action.state === "inactive" ? { state: "inactive" } : { state: action.state, ...(action.url ? { url: action.url } : {}) });
}

/** Records the outcome first, then reports; a report that fails (retryably) is replayed by the next attempt. */
async function settle(deps: SourceDeps, key: string, sha: string | null, actions: ReportAction[]): Promise<void> {
  await deps.state.record(key, sha, actions);
  for (const action of actions) await perform(deps.reporter, action);
  if (actions.length > 0) await deps.state.record(key, sha, []);
}

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
  if (!outcome.ok) {
    const actions: ReportAction[] = [{ kind: "commit", sha, report: failureReport(outcome.lines, outcome.issues) }];
    if (preview !== undefined) {
      actions.push({ kind: "comment", number: preview, body: previewCommentBody(preview, sha, { refused: outcome.lines }) });
      actions.push({ kind: "deployment", number: preview, sha, state: "failure" });
    }
    return actions;
  }
  const { target, outcomes } = outcome;
  const where = target.kind === "tag" ? target.name : `@${refLabel(target)}`;
  const actions: ReportAction[] = [{ kind: "commit", sha, report: successReport(outcomes, where) }];
  if (preview !== undefined) {
    const url = outcomes.find((o) => o.status !== "removed")?.urls.find((u) => u.endsWith(`@pr-${preview}`));
    actions.push({ kind: "comment", number: preview, body: previewCommentBody(preview, sha, outcomes) });
    actions.push({ kind: "deployment", number: preview, sha, state: "success", ...(url ? { url } : {}) });
  }
  return actions;
}

/** Replays the reports an earlier attempt recorded but GitHub did not take. */
async function replay(deps: SourceDeps, key: string, sha: string | null, pending: ReportAction[]): Promise<void> {
  for (const action of pending) await perform(deps.reporter, action);
  if (pending.length > 0) await deps.state.record(key, sha, []);
}

async function refJob(deps: SourceDeps, job: Extract<Job, { kind: "ref" }>): Promise<string> {
  // The remote's current value decides, whatever the delivery said: late or duplicate deliveries change nothing,
  // and a branch never moves backwards unless the remote itself did.
  const current = (await deps.source.listRefs()).get(job.ref) ?? null;
  const last = await deps.state.last(job.ref);
  if (last && last.sha === current) {
    await replay(deps, job.ref, current, last.pending);
    return `${job.ref} already at ${current?.slice(0, 7) ?? "(deleted)"}`;
  }
  if (current === null) {
    await settle(deps, job.ref, null, await publish(deps, job.ref, null));
    return `${job.ref} deleted`;
  }
  const named = targetOf(job.ref, deps.defaultBranch);
  // A ref that cannot publish is reported once on its commit and remembered, so reconciling does not repeat it.
  if (!named.ok) {
    await settle(deps, job.ref, current, [{ kind: "commit", sha: current, report: failureReport([`${named.reason}; nothing was published`]) }]);
    return `${job.ref} refused: ${named.reason}`;
  }
  const { commit, entries } = await deps.source.readCommit(job.ref);
  await settle(deps, job.ref, commit.oid, await publish(deps, job.ref, { meta: commit, entries }));
  return `${job.ref} at ${commit.oid.slice(0, 7)}`;
}

async function pullRequestJob(deps: SourceDeps, job: Extract<Job, { kind: "pull_request" }>): Promise<string> {
  const key = objectsKey({ kind: "preview", number: job.number });
  const last = await deps.state.last(key);
  if (job.action === "closed" || !(await deps.pulls.isOpen(job.number))) {
    const ids = [...(await deps.state.objects.get(key)).keys()];
    if (last?.sha === null && ids.length === 0 && last.pending.length === 0) return `preview ${key} already deleted`;
    await publish(deps, { preview: job.number }, null);
    await settle(deps, key, null, [
      { kind: "comment", number: job.number, body: closedCommentBody(job.number) },
      { kind: "deployment", number: job.number, sha: job.sha, state: "inactive" },
    ]);
    return `preview ${key} deleted`;
  }
  const { commit, entries } = await deps.source.readCommit(`refs/pull/${job.number}/head`);
  if (last && last.sha === commit.oid) {
    await replay(deps, key, commit.oid, last.pending);
    return `preview ${key} already at ${commit.oid.slice(0, 7)}`;
  }
  if (!(await previewAllowed(deps.state.approvals, job.number, commit.oid, job.fork))) {
    await settle(deps, key, commit.oid, [
      { kind: "commit", sha: commit.oid, report: await waitingReport(deps.state.approvals, job.number, commit.oid) },
      { kind: "comment", number: job.number, body: waitingCommentBody(job.number, commit.oid) },
    ]);
    return `preview ${key} waits for approval of ${commit.oid.slice(0, 7)} (a fork)`;
  }
  await settle(deps, key, commit.oid, await publish(deps, { preview: job.number }, { meta: commit, entries }));
  return `preview ${key} at ${commit.oid.slice(0, 7)}`;
}

/** A collaborator approved the head commit of a pull request: it is previewed, and later commits wait again. */
async function approvalJob(deps: SourceDeps, job: Extract<Job, { kind: "approve_preview" }>): Promise<string> {
  const key = objectsKey({ kind: "preview", number: job.number });
  if (!(await deps.pulls.isOpen(job.number))) return `preview ${key}: the pull request is closed`;
  if (!(await deps.collaborators.canApprove(job.approver))) return `preview ${key}: ${job.approver} may not approve (write access is needed)`;
  const { commit, entries } = await deps.source.readCommit(`refs/pull/${job.number}/head`);
  await deps.state.approvals.set(job.number, commit.oid, job.approver);
  await settle(deps, key, commit.oid, await publish(deps, { preview: job.number }, { meta: commit, entries }));
  return `preview ${key} at ${commit.oid.slice(0, 7)}, approved by ${job.approver}`;
}

/** Runs one job; throws ObjectsError (retryable for network and 5xx failures) when it cannot finish. */
export function runJob(deps: SourceDeps, job: Job): Promise<string> {
  if (job.kind === "ref") return refJob(deps, job);
  return job.kind === "pull_request" ? pullRequestJob(deps, job) : approvalJob(deps, job);
}
