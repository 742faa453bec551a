// Reporting to GitHub through @octokit/rest: check runs (commit status as fallback), the preview comment, deployments.
import type { Octokit } from "@octokit/rest";
import { githubError } from "./client.ts";

export const CHECK_NAME = "objects.do";
export const COMMENT_MARKER = "<!-- objects.do:preview -->";
const ANNOTATIONS_PER_REQUEST = 50;

export interface CheckAnnotation {
  path: string;
  line: number;
  message: string;
  title: string;
}

export interface CommitReport {
  /** neutral: published, but with a breaking change inside a version range clients pin. */
  conclusion: "success" | "neutral" | "failure";
  title: string;
  summary: string;
  annotations: CheckAnnotation[];
  detailsUrl?: string;
}

/** Where results go on GitHub. Failures throw ObjectsError: retryable for 5xx, 429 and network errors. */
export interface GitHubReporter {
  /** A check run on the commit; a commit status when the credentials may not create check runs. */
  commit(sha: string, report: CommitReport): Promise<void>;
  /** The one preview comment of a pull request, found by its marker and edited in place. */
  previewComment(number: number, body: string): Promise<void>;
  /** A deployment of `preview/pr-<n>` with its status, or every such deployment marked inactive. */
  deployment(number: number, sha: string, state: { state: "success" | "failure"; url?: string } | { state: "inactive" }): Promise<void>;
}

const status = (error: unknown) => (error as { status?: number }).status;

/** The GitHubReporter of one repository. */
export function octokitReporter(octokit: Octokit, owner: string, repo: string): GitHubReporter {
  const environment = (number: number) => `preview/pr-${number}`;
  return {
    async commit(sha, report) {
      const batches: CheckAnnotation[][] = [];
      for (let i = 0; i < report.annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(report.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
      const output = (annotations: CheckAnnotation[] = []) => ({
        title: report.title,
        summary: report.summary,
        annotations: annotations.map(({ path, line, message, title }) => ({ path, start_line: line, end_line: line, annotation_level: "failure" as const, message, title })),
      });
      try {
        const { data } = await octokit.checks.create({ owner, repo, name: CHECK_NAME, head_sha: sha, status: "completed", conclusion: report.conclusion, output: output(batches[0]), ...(report.detailsUrl ? { details_url: report.detailsUrl } : {}) });
        // The API takes at most 50 annotations per request: the rest are appended by updates.
        for (const batch of batches.slice(1)) await octokit.checks.update({ owner, repo, check_run_id: data.id, output: output(batch) });
      } catch (error) {
        if (status(error) !== 403 && status(error) !== 404) throw githubError(error, "the check run");
        try {
          await octokit.repos.createCommitStatus({ owner, repo, sha, state: report.conclusion === "failure" ? "failure" : "success", context: CHECK_NAME, description: report.title.slice(0, 140), ...(report.detailsUrl ? { target_url: report.detailsUrl } : {}) });
        } catch (fallback) {
          throw githubError(fallback, "the commit status");
        }
      }
    },

    async previewComment(number, body) {
      try {
        const comments = await octokit.paginate(octokit.issues.listComments, { owner, repo, issue_number: number, per_page: 100 });
        const mine = comments.find((comment) => comment.body?.includes(COMMENT_MARKER));
        const text = `${COMMENT_MARKER}\n${body}`;
        if (mine) await octokit.issues.updateComment({ owner, repo, comment_id: mine.id, body: text });
        else await octokit.issues.createComment({ owner, repo, issue_number: number, body: text });
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
        const { data } = await octokit.repos.createDeployment({ owner, repo, ref: sha, environment: environment(number), auto_merge: false, required_contexts: [], transient_environment: true, production_environment: false, description: "objects.do preview" });
        if (!("id" in data)) return;
        await octokit.repos.createDeploymentStatus({ owner, repo, deployment_id: data.id, state: change.state, ...(change.url ? { environment_url: change.url } : {}), auto_inactive: true });
      } catch (error) {
        throw githubError(error, "the deployment");
      }
    },
  };
}
