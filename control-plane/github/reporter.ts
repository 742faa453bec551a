// Reporting to GitHub through @octokit/rest: the check run of a commit (commit status as fallback), the preview
// comment, deployments. Every step is find-or-create over ids kept by the caller, so a retry never makes a second one.
import type { Octokit } from "@octokit/rest";
import { githubError } from "./client.ts";
import { clip, fit, GITHUB_LIMITS } from "./commit-report.ts";

export const CHECK_NAME = "objects.do";
export const COMMENT_MARKER = "<!-- objects.do:preview -->";

export interface CheckAnnotation {
  path: string;
  line: number;
  message: string;
  title: string;
  /** `failure` unless said (warnings do not fail a commit). */
  level?: "warning" | "failure";
}

export interface CommitReport {
  /** neutral: published, but with a breaking change inside a version range clients pin. */
  conclusion: "success" | "neutral" | "failure";
  title: string;
  summary: string;
  annotations: CheckAnnotation[];
  detailsUrl?: string;
}

/** What the reporter learned from GitHub (check run, comment and deployment ids; annotations sent), kept durably. */
export interface GitHubIds {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

/** Where results go on GitHub. Failures throw ObjectsError: retryable for 5xx, 429, network errors and deadlines. */
export interface GitHubReporter {
  /** Creates or updates the one check run of the commit (a commit status when the credentials may not create check runs). */
  commit(sha: string, report: CommitReport): Promise<void>;
  /** The one preview comment of a pull request, found by its marker and its author, and edited in place. */
  previewComment(number: number, body: string): Promise<void>;
  /** The deployment of `preview/pr-<n>` at `sha` (found or created) with a status, or every such deployment inactive. */
  deployment(number: number, sha: string, state: { state: "success" | "failure"; url?: string } | { state: "inactive" }): Promise<void>;
}

const status = (error: unknown) => (error as { status?: number }).status;
/** Identifies objects.do's check run on a commit, whoever else reports there. */
export const externalId = (sha: string) => `objects.do:${sha}`;

/**
 * The GitHubReporter of one repository. `author` is the GitHub user id objects.do acts as when it can tell (a token's
 * owner); a GitHub App comments as a bot. The id of the first comment's author is kept, and decides from then on.
 */
export function octokitReporter(octokit: Octokit, owner: string, repo: string, ids: GitHubIds, author: () => Promise<number | undefined>): GitHubReporter {
  const environment = (number: number) => `preview/pr-${number}`;
  const annotationsOf = (annotations: CheckAnnotation[]) =>
    annotations.map(({ path, line, message, title, level = "failure" }) => ({ path, start_line: line, end_line: line, annotation_level: level, message, title }));

  /** The check run objects.do made on the commit: by the id it kept, else by its external id (a create whose answer was lost). */
  async function findCheckRun(sha: string): Promise<number | undefined> {
    const kept = await ids.get(`check:${sha}`);
    if (kept !== undefined) return kept;
    const runs = await octokit.paginate(octokit.checks.listForRef, { owner, repo, ref: sha, check_name: CHECK_NAME, filter: "all", per_page: 100 });
    const found = runs.find((run) => run.external_id === externalId(sha))?.id;
    if (found !== undefined) await ids.set(`check:${sha}`, found);
    return found;
  }

  async function checkRun(sha: string, report: CommitReport): Promise<void> {
    const output = { title: report.title, summary: report.summary };
    const common = { status: "completed" as const, conclusion: report.conclusion, ...(report.detailsUrl ? { details_url: report.detailsUrl } : {}) };
    let id = await findCheckRun(sha);
    if (id === undefined) {
      // The first 50 annotations go with the creation, so a check run never shows without its first problems.
      const first = report.annotations.slice(0, GITHUB_LIMITS.annotationsPerRequest);
      const { data } = await octokit.checks.create({ owner, repo, name: CHECK_NAME, head_sha: sha, external_id: externalId(sha), ...common, output: { ...output, annotations: annotationsOf(first) } });
      id = data.id;
      await ids.set(`check:${sha}`, id);
      await ids.set(`annotations:${sha}`, first.length);
    } else await octokit.checks.update({ owner, repo, check_run_id: id, ...common, output });
    // GitHub appends the annotations of each request (at most 50 each): only those not sent yet go.
    const sent = (await ids.get(`annotations:${sha}`)) ?? 0;
    for (let start = sent; start < report.annotations.length; start += GITHUB_LIMITS.annotationsPerRequest) {
      const batch = report.annotations.slice(start, start + GITHUB_LIMITS.annotationsPerRequest);
      await octokit.checks.update({ owner, repo, check_run_id: id, output: { ...output, annotations: annotationsOf(batch) } });
      await ids.set(`annotations:${sha}`, start + batch.length);
    }
  }

  return {
    async commit(sha, report) {
      if ((await ids.get("checks-forbidden")) === undefined) {
        try {
          await checkRun(sha, report);
          return;
        } catch (error) {
          if (status(error) !== 403 && status(error) !== 404) throw githubError(error, "the check run");
          // Only GitHub Apps may create check runs: a token's repository gets commit statuses from now on.
          await ids.set("checks-forbidden", 1);
        }
      }
      try {
        const state = report.conclusion === "failure" ? "failure" : "success";
        await octokit.repos.createCommitStatus({ owner, repo, sha, state, context: CHECK_NAME, description: clip(report.title, GITHUB_LIMITS.statusDescription), ...(report.detailsUrl ? { target_url: report.detailsUrl } : {}) });
      } catch (error) {
        throw githubError(error, "the commit status");
      }
    },

    async previewComment(number, body) {
      const text = fit(`${COMMENT_MARKER}\n${body}`, GITHUB_LIMITS.comment);
      try {
        const kept = await ids.get(`comment:${number}`);
        if (kept !== undefined) {
          try {
            await octokit.issues.updateComment({ owner, repo, comment_id: kept, body: text });
            return;
          } catch (error) {
            // Deleted by someone: a new one is made below.
            if (status(error) !== 404) throw error;
          }
        }
        // Who objects.do comments as: a user id, undefined for an app (a bot), null when GitHub would not say (`GET
        // /user` refused): then the marker alone finds the comment, and an edit GitHub refuses moves on to the next.
        const me = (await ids.get("author")) ?? (await author().catch(() => null));
        const comments = await octokit.paginate(octokit.issues.listComments, { owner, repo, issue_number: number, per_page: 100 });
        // The marker alone is not enough when the author is known: a person quoting it must not have their comment edited.
        const candidates = comments.filter((comment) => comment.body?.startsWith(COMMENT_MARKER) && (me === null || (me !== undefined ? comment.user?.id === me : comment.user?.type === "Bot")));
        for (const mine of candidates) {
          try {
            await octokit.issues.updateComment({ owner, repo, comment_id: mine.id, body: text });
          } catch (error) {
            if (me === null && (status(error) === 403 || status(error) === 404)) continue;
            throw error;
          }
          await ids.set(`comment:${number}`, mine.id);
          return;
        }
        const { data } = await octokit.issues.createComment({ owner, repo, issue_number: number, body: text });
        await ids.set(`comment:${number}`, data.id);
        if (data.user?.id !== undefined) await ids.set("author", data.user.id);
      } catch (error) {
        throw githubError(error, "the preview comment");
      }
    },

    async deployment(number, sha, change) {
      try {
        if (change.state === "inactive") {
          const deployments = await octokit.paginate(octokit.repos.listDeployments, { owner, repo, environment: environment(number), per_page: 100 });
          for (const deployment of deployments) await octokit.repos.createDeploymentStatus({ owner, repo, deployment_id: deployment.id, state: "inactive" });
          return;
        }
        const key = `deployment:${number}:${sha}`;
        let id = await ids.get(key);
        if (id === undefined) {
          const existing = await octokit.repos.listDeployments({ owner, repo, sha, environment: environment(number), per_page: 1 });
          id = existing.data[0]?.id;
        }
        if (id === undefined) {
          const { data } = await octokit.repos.createDeployment({ owner, repo, ref: sha, environment: environment(number), auto_merge: false, required_contexts: [], transient_environment: true, production_environment: false, description: "objects.do preview" });
          if (!("id" in data)) return;
          id = data.id;
        }
        await ids.set(key, id);
        // A retried step finds the status it already set (GitHub lists the newest first) and sets nothing twice.
        const [latest] = (await octokit.repos.listDeploymentStatuses({ owner, repo, deployment_id: id, per_page: 1 })).data;
        if (latest?.state === change.state && (latest.environment_url || undefined) === change.url) return;
        await octokit.repos.createDeploymentStatus({ owner, repo, deployment_id: id, state: change.state, ...(change.url ? { environment_url: change.url } : {}), auto_inactive: true });
      } catch (error) {
        throw githubError(error, "the deployment");
      }
    },
  };
}
