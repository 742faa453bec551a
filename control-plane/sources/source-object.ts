// SourceDO: one connected repository (GitHub or any git host): its connection and secrets, the deliveries it has
// seen, what it published per ref, and its jobs, run one at a time. A thin shell over runJob.
import { DurableObject } from "cloudflare:workers";
import type { Job, RepoConnection, Rollout } from "../../schemas/index.ts";
import { asObjectsError, checkPublicUrl } from "../../core/index.ts";
import { httpGitSource } from "../git/remote-source.ts";
import { authorOf, connectionToken, octokitFor, type InstallationToken } from "../github/client.ts";
import { reportUrl } from "../reports/report-url.ts";
import { failureReport } from "../github/report-text.ts";
import { octokitReporter } from "../github/reporter.ts";
import { octokitCollaborators, octokitPullRequests } from "../github/pull-requests.ts";
import type { PipelineDeps } from "../pipeline/publish-commit.ts";
import { createInbox, MAX_ATTEMPTS, retryDelaySeconds, type Inbox, type InboxCounts } from "./job-inbox.ts";
import type { ReportSection } from "../github/commit-report.ts";
import { perform } from "./report-steps.ts";
import { rolloutReport } from "../rollouts/rollout-report.ts";
import { runJob, sectionLabel, type SourceDeps } from "./run-job.ts";
import { SOURCE_STATE_TABLES, sqlSourceState } from "./source-state.ts";

/** A connection as stored: what the user sent, where objects.do answers, and what the connecting token may change. */
export interface StoredConnection {
  config: RepoConnection;
  origin: string;
  scopes: string[];
  connectedBy: string;
  /** GitHub's immutable repository id, learned from the first verified delivery. */
  repositoryId?: number;
}

export interface SourceObjectDeps {
  pipeline: PipelineDeps;
  /** Loopback and private git hosts are refused unless this is set (local development, tests). */
  allowPrivateRemotes: boolean;
  /** The first retry's delay; each later one doubles, up to five minutes. */
  retryBaseSeconds: number;
  /** The deadline of each GitHub request (`GITHUB_TIMEOUT_MS`, 10 s by default). */
  githubTimeoutMs: number;
}

/** How long one alarm works through the inbox before it hands over to the next one. */
const ALARM_BUDGET_MS = 60_000;

export type JobOutcome = { status: "done"; detail: string } | { status: "retry"; detail: string };

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS connection (id INTEGER PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS deliveries (id TEXT PRIMARY KEY, at INTEGER NOT NULL);
`;
const MAX_DELIVERIES = 10_000;

export abstract class SourceDOBase extends DurableObject {
  protected abstract deps(): SourceObjectDeps;
  private readonly sql = this.ctx.storage.sql;
  private readonly token: { current?: InstallationToken } = {};
  private readonly inbox: Inbox;
  private readonly state: ReturnType<typeof sqlSourceState>;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql.exec(SCHEMA);
    this.inbox = createInbox(this.sql);
    this.state = sqlSourceState(this.sql);
  }

  configure(connection: StoredConnection): void {
    checkPublicUrl(connection.config.cloneUrl, this.deps().allowPrivateRemotes);
    // The API base URL is fetched with the repository's token too: the same policy as the clone URL.
    checkPublicUrl(connection.config.apiBaseUrl, this.deps().allowPrivateRemotes, "api-not-allowed", "/apiBaseUrl");
    this.sql.exec("INSERT OR REPLACE INTO connection (id, value) VALUES (1, ?)", JSON.stringify(connection));
    delete this.token.current;
  }

  connection(): StoredConnection | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM connection WHERE id = 1").toArray()[0];
    return row ? (JSON.parse(row.value) as StoredConnection) : null;
  }

  disconnect(): boolean {
    const existed = this.connection() !== null;
    this.ctx.storage.transactionSync(() => {
      for (const table of ["connection", "deliveries", "inbox", ...SOURCE_STATE_TABLES]) this.sql.exec(`DELETE FROM ${table}`);
    });
    return existed;
  }

  /** Notes a verified delivery: a repeated id is a duplicate; a repository id other than the first one seen is foreign. */
  remember(delivery: string, repositoryId: number): "new" | "duplicate" | "foreign" {
    const stored = this.connection();
    if (!stored) return "foreign";
    if (stored.repositoryId !== undefined && stored.repositoryId !== repositoryId) return "foreign";
    if (stored.repositoryId === undefined) this.sql.exec("UPDATE connection SET value = ? WHERE id = 1", JSON.stringify({ ...stored, repositoryId }));
    const seen = this.sql.exec("SELECT 1 FROM deliveries WHERE id = ?", delivery).toArray().length > 0;
    if (seen) return "duplicate";
    this.sql.exec("INSERT INTO deliveries (id, at) VALUES (?, ?)", delivery, Date.now());
    this.sql.exec("DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries ORDER BY at DESC LIMIT -1 OFFSET ?)", MAX_DELIVERIES);
    return "new";
  }

  /**
   * Takes a job into the inbox and makes sure the alarm will run it; answers at once, whatever GitHub is doing, so
   * the Queue never waits for one repository's calls (another repository's jobs run in their own Durable Object).
   */
  async accept(job: Job): Promise<void> {
    const now = Date.now();
    this.inbox.put(job, now);
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || alarm > now) await this.ctx.storage.setAlarm(now);
  }

  /** What the inbox has taken, finished and still holds (shown with the connection). */
  jobs(): InboxCounts {
    return this.inbox.counts();
  }

  /** Runs the due jobs one at a time: a failure that may pass is tried again later, the last try is reported. */
  override async alarm(): Promise<void> {
    const { retryBaseSeconds } = this.deps();
    const until = Date.now() + ALARM_BUDGET_MS;
    for (let row = this.inbox.next(Date.now()); row && Date.now() < until; row = this.inbox.next(Date.now())) {
      const attempt = row.attempts + 1;
      const outcome = await this.execute(row.job, attempt);
      if (outcome.status === "retry" && attempt < MAX_ATTEMPTS) {
        console.warn(`${row.job.repo} ${row.key}: try ${attempt} of ${MAX_ATTEMPTS} failed, next in ${retryDelaySeconds(attempt, retryBaseSeconds)} s: ${outcome.detail}`);
        this.inbox.retry(row, Date.now() + retryDelaySeconds(attempt, retryBaseSeconds) * 1000);
        continue;
      }
      if (outcome.status === "retry") await this.giveUp(row.job, attempt, outcome.detail);
      this.inbox.done(row);
    }
    const next = this.inbox.earliest();
    if (next !== null) await this.ctx.storage.setAlarm(Math.max(next, Date.now()));
  }

  /** After the last try: a failed check saying so (and a log line), so the commit does not sit without a verdict. */
  async giveUp(job: Job, attempts: number, reason = "the git host or GitHub did not answer"): Promise<void> {
    console.error(`${job.repo}: gave up on ${job.kind === "ref" ? job.ref : `pull request #${job.number}`} after ${attempts} tries: ${reason}`);
    const deps = await this.sourceDeps().catch(() => null);
    if (!deps || !("sha" in job) || !job.sha) return;
    const lines = [`objects.do gave up after ${attempts} ${attempts === 1 ? "try" : "tries"}: ${reason}; nothing was published`];
    const section = { ref: sectionLabel(job.kind === "ref" ? job.ref : { preview: job.number }, deps.defaultBranch), report: failureReport(lines), lines };
    await perform({ reporter: deps.reporter, ledger: deps.state, reportUrl: deps.reportUrl }, { kind: "commit", sha: job.sha, section }).catch((error) => console.warn("giving up could not be reported", error));
  }

  /** The sections reported on a commit (the full report page). */
  report(sha: string): Promise<ReportSection[]> {
    return this.state.sections.of(sha);
  }

  /** A rollout of a version this repository published: its section of the commit's check run, at every step. */
  async reportRollout(sha: string, id: string, rollout: Rollout): Promise<void> {
    const deps = await this.sourceDeps();
    if (!deps) return;
    const section = { ref: `rollout of ${id}`, report: rolloutReport(id, rollout) };
    await perform({ reporter: deps.reporter, ledger: deps.state, reportUrl: deps.reportUrl }, { kind: "commit", sha, section });
  }

  /**
   * A pull request's preview lost objects outside a job (removed, expired): they are forgotten, and the head it last
   * published is too, so the next delivery for the pull request, even of that head, publishes them again.
   */
  async forgetPreview(key: string, ids: string[]): Promise<void> {
    const left = new Map([...(await this.state.objects.get(key))].filter(([id]) => !ids.includes(id)));
    await this.state.objects.set(key, left);
    await this.state.record(key, null, (await this.state.last(key))?.pending ?? []);
  }

  /** Jobs for every branch and tag whose remote value differs from what was last handled, and for previews of closed pull requests (missed webhooks). */
  async reconcileJobs(): Promise<Job[]> {
    const deps = await this.sourceDeps();
    if (!deps) return [];
    const remote = await deps.source.listRefs();
    const jobs: Job[] = [];
    for (const [ref, sha] of remote) {
      if (!ref.startsWith("refs/heads/") && !ref.startsWith("refs/tags/")) continue;
      if ((await deps.state.last(ref))?.sha !== sha) jobs.push({ kind: "ref", repo: deps.repo, ref, sha });
    }
    for (const ref of await this.state.handledBranches()) {
      if (!remote.has(ref)) jobs.push({ kind: "ref", repo: deps.repo, ref, sha: null });
    }
    // A closing webhook that never came: the preview of a pull request that is no longer open is torn down.
    for (const { number, sha } of await this.state.livePreviews()) {
      if (!(await deps.pulls.isOpen(number))) jobs.push({ kind: "pull_request", repo: deps.repo, number, action: "closed", sha, fork: false });
    }
    return jobs;
  }

  private async execute(job: Job, attempt: number): Promise<JobOutcome> {
    try {
      const deps = await this.sourceDeps();
      if (!deps) return { status: "done", detail: `${job.repo} is not connected` };
      return { status: "done", detail: await runJob(deps, job) };
    } catch (error) {
      const problem = asObjectsError(error);
      if (problem.retryable) return { status: "retry", detail: problem.message };
      // A failure no retry mends is reported now, on the commit when the job names one.
      if (problem.kind === "internal") console.error(`job for ${job.repo} failed`, error);
      await this.giveUp(job, attempt, problem.kind === "internal" ? "an internal error" : problem.message);
      return { status: "done", detail: `gave up: ${problem.message}` };
    }
  }

  private async sourceDeps(): Promise<SourceDeps | null> {
    const stored = this.connection();
    if (!stored) return null;
    const { config } = stored;
    const { pipeline, allowPrivateRemotes, githubTimeoutMs } = this.deps();
    const url = checkPublicUrl(config.cloneUrl, allowPrivateRemotes).href;
    checkPublicUrl(config.apiBaseUrl, allowPrivateRemotes, "api-not-allowed", "/apiBaseUrl");
    const token = () => connectionToken(config, this.token, githubTimeoutMs);
    const [owner, repo] = config.name.split("/") as [string, string];
    const octokit = octokitFor(config, await token(), githubTimeoutMs);
    return {
      repo: config.name,
      origin: stored.origin,
      defaultBranch: config.defaultBranch,
      pipeline,
      source: httpGitSource(url, token),
      reporter: octokitReporter(octokit, owner, repo, this.state.ids, () => authorOf(config, octokit)),
      pulls: octokitPullRequests(octokit, owner, repo),
      collaborators: octokitCollaborators(octokit, owner, repo),
      state: this.state,
      publisher: { source: "github", actor: stored.connectedBy, scopes: stored.scopes },
      reportUrl: (sha) => reportUrl(stored.origin, config.name, sha),
    };
  }
}
