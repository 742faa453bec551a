// One job of a connected repository, as ordered steps: read the remote's current ref → fetch the commit →
// prepare → apply → report (the one step that talks to GitHub, replayed until GitHub takes it).
import type { GitSource } from "../git/remote-source.ts";
import type { BranchObjects } from "../git/receive-pack.ts";
import { closedCommentBody, failureReport, previewCommentBody, successReport } from "../github/report-text.ts";
import type { CommitReport, GitHubReporter } from "../github/reporter.ts";
import { applyCommit, prepareCommit, retireTarget, type PipelineDeps } from "../pipeline/publish-commit.ts";
import { objectsKey, refLabel, targetOf, type GitTarget } from "../pipeline/targets.ts";
import type { Job } from "../../schemas/index.ts";
import type { CommitInfo } from "../git/read-commit.ts";
import type { RepoEntry } from "../../registry/index.ts";

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
  state: SourceState;
  authorize(id: string): boolean;
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

async function publish(deps: SourceDeps, target: GitTarget, commit: CommitInfo, entries: RepoEntry[]): Promise<ReportAction[]> {
  const previous = target.kind === "tag" ? new Map<string, string>() : await deps.state.objects.get(objectsKey(target));
  const input = { repo: deps.repo, origin: deps.origin, commit, entries, target, previous, authorize: deps.authorize };
  const prepared = await prepareCommit(deps.pipeline, input);
  const preview = target.kind === "preview" ? target.number : undefined;
  if (!prepared.ok) {
    const actions: ReportAction[] = [{ kind: "commit", sha: commit.oid, report: failureReport(prepared.lines, prepared.issues) }];
    if (preview !== undefined) {
      actions.push({ kind: "comment", number: preview, body: previewCommentBody(preview, commit.oid, { refused: prepared.lines }) });
      actions.push({ kind: "deployment", number: preview, sha: commit.oid, state: "failure" });
    }
    return actions;
  }
  const outcomes = await applyCommit(deps.pipeline, input, prepared);
  if (target.kind !== "tag") await deps.state.objects.set(objectsKey(target), new Map(prepared.planned.map((plan) => [plan.id, commit.oid])));
  const where = target.kind === "tag" ? target.name : `@${refLabel(target)}`;
  const actions: ReportAction[] = [{ kind: "commit", sha: commit.oid, report: successReport(outcomes, where) }];
  if (preview !== undefined) {
    const url = outcomes.find((outcome) => outcome.status !== "removed")?.urls.find((u) => u.endsWith(`@pr-${preview}`));
    actions.push({ kind: "comment", number: preview, body: previewCommentBody(preview, commit.oid, outcomes) });
    actions.push({ kind: "deployment", number: preview, sha: commit.oid, state: "success", ...(url ? { url } : {}) });
  }
  return actions;
}

async function refJob(deps: SourceDeps, job: Extract<Job, { kind: "ref" }>): Promise<string> {
  const target = targetOf(job.ref, deps.defaultBranch);
  if (!target || target.kind === "preview") return `ignored ${job.ref}`;
  // The remote's current value decides, whatever the delivery said: late or duplicate deliveries change nothing,
  // and a branch never moves backwards unless the remote itself did (W8, W10).
  const current = (await deps.source.listRefs()).get(job.ref) ?? null;
  const last = await deps.state.last(job.ref);
  if (last && last.sha === current) {
    for (const action of last.pending) await perform(deps.reporter, action);
    if (last.pending.length > 0) await deps.state.record(job.ref, current, []);
    return `${job.ref} already at ${current?.slice(0, 7) ?? "(deleted)"}`;
  }
  if (current === null) {
    if (target.kind === "branch" && !target.isDefault) {
      const ids = [...(await deps.state.objects.get(target.name)).keys()];
      await retireTarget(deps.pipeline, target, ids);
      await deps.state.objects.set(target.name, new Map());
    }
    await settle(deps, job.ref, null, []);
    return `${job.ref} deleted`;
  }
  const { commit, entries } = await deps.source.readCommit(job.ref);
  await settle(deps, job.ref, commit.oid, await publish(deps, target, commit, entries));
  return `${job.ref} at ${commit.oid.slice(0, 7)}`;
}

async function pullRequestJob(deps: SourceDeps, job: Extract<Job, { kind: "pull_request" }>): Promise<string> {
  const target = { kind: "preview", number: job.number } as const;
  const key = objectsKey(target);
  const last = await deps.state.last(key);
  if (job.action === "closed" || !(await deps.pulls.isOpen(job.number))) {
    const ids = [...(await deps.state.objects.get(key)).keys()];
    if (last?.sha === null && ids.length === 0 && last.pending.length === 0) return `preview ${key} already deleted`;
    await retireTarget(deps.pipeline, target, ids);
    await deps.state.objects.set(key, new Map());
    await settle(deps, key, null, [
      { kind: "comment", number: job.number, body: closedCommentBody(job.number) },
      { kind: "deployment", number: job.number, sha: job.sha, state: "inactive" },
    ]);
    return `preview ${key} deleted`;
  }
  const { commit, entries } = await deps.source.readCommit(`refs/pull/${job.number}/head`);
  if (last && last.sha === commit.oid) {
    for (const action of last.pending) await perform(deps.reporter, action);
    if (last.pending.length > 0) await deps.state.record(key, commit.oid, []);
    return `preview ${key} already at ${commit.oid.slice(0, 7)}`;
  }
  await settle(deps, key, commit.oid, await publish(deps, target, commit, entries));
  return `preview ${key} at ${commit.oid.slice(0, 7)}`;
}

/** Runs one job; throws ObjectsError (retryable for network and 5xx failures) when it cannot finish. */
export function runJob(deps: SourceDeps, job: Job): Promise<string> {
  return job.kind === "ref" ? refJob(deps, job) : pullRequestJob(deps, job);
}
