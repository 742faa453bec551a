// A verified GitHub delivery → the jobs it asks for (pure). Unknown events and actions are ignored, never errors.
import type { z } from "zod";
import { issuesFromZod, ObjectsError } from "../../core/index.ts";
import { IssueCommentEventSchema, PingEventSchema, PullRequestEventSchema, PushEventSchema, RefEventSchema, type Job } from "../../schemas/index.ts";

export type WebhookOutcome = { kind: "pong" } | { kind: "ignored"; reason: string } | { kind: "jobs"; repo: string; repositoryId: number; jobs: Job[] };

const PR_ACTIONS = new Set(["opened", "synchronize", "reopened", "closed"]);
/** The label, and the comment, with which a collaborator approves the preview of a pull request from a fork. */
export const PREVIEW_LABEL = "objects-preview";
export const PREVIEW_COMMAND = "/preview";

function parse<T>(schema: z.ZodType<T>, payload: unknown, event: string): T {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issues = issuesFromZod(parsed.error.issues, payload);
  throw new ObjectsError("payload-invalid", `the ${event} payload is not what GitHub sends: ${issues.map((issue) => `${issue.path || "/"} ${issue.message}`).join("; ")}`, { issues });
}

/** Maps one event (`X-GitHub-Event`) with its parsed JSON body; throws 400 `payload-invalid` naming what is wrong. */
export function mapEvent(event: string, payload: unknown, delivery: string): WebhookOutcome {
  switch (event) {
    case "ping":
      parse(PingEventSchema, payload, event);
      return { kind: "pong" };
    case "push": {
      const push = parse(PushEventSchema, payload, event);
      const job: Job = { kind: "ref", repo: push.repository.full_name, ref: push.ref, sha: push.deleted ? null : push.after, delivery };
      return { kind: "jobs", repo: push.repository.full_name, repositoryId: push.repository.id, jobs: [job] };
    }
    case "create":
    case "delete": {
      const change = parse(RefEventSchema, payload, event);
      if (change.ref_type === "repository") return { kind: "ignored", reason: `${event} of a repository` };
      const ref = `refs/${change.ref_type === "branch" ? "heads" : "tags"}/${change.ref}`;
      return { kind: "jobs", repo: change.repository.full_name, repositoryId: change.repository.id, jobs: [{ kind: "ref", repo: change.repository.full_name, ref, sha: null, delivery }] };
    }
    case "pull_request": {
      const pr = parse(PullRequestEventSchema, payload, event);
      if (pr.action === "labeled" && pr.label?.name === PREVIEW_LABEL && pr.sender) {
        const job: Job = { kind: "approve_preview", repo: pr.repository.full_name, number: pr.number, approver: pr.sender.login, delivery };
        return { kind: "jobs", repo: pr.repository.full_name, repositoryId: pr.repository.id, jobs: [job] };
      }
      if (!PR_ACTIONS.has(pr.action)) return { kind: "ignored", reason: `pull_request ${pr.action}` };
      const fork = pr.pull_request.head.repo?.full_name !== pr.pull_request.base.repo.full_name;
      const job: Job = { kind: "pull_request", repo: pr.repository.full_name, number: pr.number, action: pr.action as Extract<Job, { kind: "pull_request" }>["action"], sha: pr.pull_request.head.sha, fork, delivery };
      return { kind: "jobs", repo: pr.repository.full_name, repositoryId: pr.repository.id, jobs: [job] };
    }
    case "issue_comment": {
      const comment = parse(IssueCommentEventSchema, payload, event);
      if (comment.action !== "created" || !comment.issue.pull_request || comment.comment.body?.trim() !== PREVIEW_COMMAND) return { kind: "ignored", reason: "not a /preview comment on a pull request" };
      const job: Job = { kind: "approve_preview", repo: comment.repository.full_name, number: comment.issue.number, approver: comment.comment.user.login, delivery };
      return { kind: "jobs", repo: comment.repository.full_name, repositoryId: comment.repository.id, jobs: [job] };
    }
    default:
      return { kind: "ignored", reason: `event ${event}` };
  }
}
