// What jobs ask GitHub about a repository besides reporting: whether a pull request is open, who may approve a preview.
import type { Octokit } from "@octokit/rest";
import type { Collaborators } from "../sources/fork-approval.ts";
import type { PullRequests } from "../sources/run-job.ts";
import { githubError } from "./client.ts";

export function octokitPullRequests(octokit: Octokit, owner: string, repo: string): PullRequests {
  return {
    async isOpen(number) {
      try {
        return (await octokit.pulls.get({ owner, repo, pull_number: number })).data.state === "open";
      } catch (error) {
        throw githubError(error, `pull request #${number}`);
      }
    },
  };
}

/** Write or admin permission on the repository (maintain reads as write); anyone who is no collaborator may not. */
export function octokitCollaborators(octokit: Octokit, owner: string, repo: string): Collaborators {
  return {
    async canApprove(login) {
      try {
        const { data } = await octokit.repos.getCollaboratorPermissionLevel({ owner, repo, username: login });
        return data.permission === "admin" || data.permission === "write";
      } catch (error) {
        if ((error as { status?: number }).status === 404) return false;
        throw githubError(error, `the permission of ${login}`);
      }
    },
  };
}
