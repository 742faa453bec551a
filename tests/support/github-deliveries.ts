// GitHub deliveries for tests: real payloads from @octokit/webhooks-examples, re-pointed at a local repository and
// signed with the real HMAC (@octokit/webhooks-methods), posted the way GitHub posts them.
import examples from "@octokit/webhooks-examples";
import { sign } from "@octokit/webhooks-methods";

type Payload = Record<string, unknown>;

const exampleOf = (name: string, pick: (payload: Payload) => boolean = () => true): Payload =>
  structuredClone((examples as Array<{ name: string; examples: Payload[] }>).find((entry) => entry.name === name)!.examples.find(pick)!);

export interface Repository {
  id: number;
  fullName: string;
  cloneUrl: string;
}

const repositoryOf = (repo: Repository, base: Payload) => ({ ...(base.repository as Payload), id: repo.id, full_name: repo.fullName, name: repo.fullName.split("/")[1], clone_url: repo.cloneUrl, default_branch: "main" });

/** A `push` payload for a ref moving from `before` to `after` (all zeros for a created or deleted ref). */
export function pushPayload(repo: Repository, ref: string, before: string, after: string, options: { forced?: boolean } = {}): Payload {
  const base = exampleOf("push", (p) => String(p.ref).startsWith("refs/heads/"));
  const zero = "0".repeat(40);
  return { ...base, ref, before, after, created: before === zero, deleted: after === zero, forced: options.forced ?? false, repository: repositoryOf(repo, base) };
}

/** A `pull_request` payload of `action` for pull request `number` whose head is `sha`. */
export function pullRequestPayload(repo: Repository, action: string, number: number, sha: string, headRepo = repo.fullName): Payload {
  const base = exampleOf("pull_request", (p) => p.action === action) ?? exampleOf("pull_request");
  const pr = base.pull_request as Payload;
  const sameRepo = { full_name: repo.fullName };
  return {
    ...base,
    action,
    number,
    pull_request: { ...pr, number, merged: false, head: { ...(pr.head as Payload), sha, ref: `feature-${number}`, repo: { full_name: headRepo } }, base: { ...(pr.base as Payload), ref: "main", repo: sameRepo } },
    repository: repositoryOf(repo, base),
  };
}

/** A `ping`. */
export const pingPayload = (repo: Repository): Payload => ({ ...exampleOf("ping"), repository: repositoryOf(repo, exampleOf("ping")) });

export interface Delivery {
  event: string;
  payload: Payload | string;
  secret?: string;
  id?: string;
  /** Replace the signature header (or drop it with null); `sha1` sends only the legacy header. */
  signature?: string | null;
  legacyOnly?: boolean;
}

/** Posts one delivery as GitHub does: raw body, `X-GitHub-Event`, `X-GitHub-Delivery`, `X-Hub-Signature-256`. */
export async function deliver(url: string, { event, payload, secret = "", id = crypto.randomUUID(), signature, legacyOnly }: Delivery): Promise<Response> {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json", "x-github-event": event, "x-github-delivery": id, "user-agent": "GitHub-Hookshot/test" };
  const signed = await sign(secret || "unused", body);
  if (legacyOnly) headers["x-hub-signature"] = `sha1=${"0".repeat(40)}`;
  else if (signature !== null) headers["x-hub-signature-256"] = signature ?? signed;
  return fetch(url, { method: "POST", body, headers });
}

/** Retries an assertion until it passes or `ms` elapse (the Queue delivers jobs asynchronously). */
export async function eventually<T>(check: () => Promise<T>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
}

/** A `/preview` (or any) comment by `login` on pull request `number`. */
export function pullRequestCommentPayload(repo: Repository, number: number, login: string, body: string): Payload {
  const base = exampleOf("issue_comment", (p) => p.action === "created") ?? exampleOf("issue_comment");
  const issue = base.issue as Payload;
  const comment = base.comment as Payload;
  return { ...base, action: "created", issue: { ...issue, number, pull_request: { url: `https://api.github.com/repos/${repo.fullName}/pulls/${number}` } }, comment: { ...comment, body, user: { ...(comment.user as Payload), login } }, repository: repositoryOf(repo, base) };
}

/** `pull_request` `labeled` with `label`, added by `login`. */
export function labeledPayload(repo: Repository, number: number, sha: string, label: string, login: string, headRepo: string): Payload {
  const base = pullRequestPayload(repo, "labeled", number, sha, headRepo);
  return { ...base, label: { name: label }, sender: { ...((base.sender as Payload | undefined) ?? {}), login } };
}
