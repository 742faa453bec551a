// Octokit clients for one connected repository: by token, or as a GitHub App installation (token cached).
import { Octokit } from "@octokit/rest";
import { DeadlineError, DEADLINES_MS, fetchWithDeadline, ObjectsError } from "../../core/index.ts";
import type { RepoConnection } from "../../schemas/index.ts";
import { appJwt } from "./app-auth.ts";

export interface InstallationToken {
  token: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** Octokit errors carry `status`; no status means the network failed. 5xx, 429, network failures and deadlines are retryable. */
export function githubError(error: unknown, what: string): ObjectsError {
  // Already classified by an inner step (who the token is, say): its cause is the real one.
  if (error instanceof ObjectsError) return error;
  const cause = (error as { cause?: unknown }).cause;
  if (error instanceof DeadlineError || cause instanceof DeadlineError) {
    const { ms } = (error instanceof DeadlineError ? error : cause) as DeadlineError;
    return new ObjectsError("github-timeout", `GitHub did not answer ${what} within ${ms} ms`, { retryable: true });
  }
  const status = (error as { status?: number }).status;
  const headers = (error as { response?: { headers?: Record<string, string | undefined> } }).response?.headers ?? {};
  // A secondary rate limit is a 403 with retry-after (or no requests left): it passes, like a 429.
  const limited = status === 403 && (headers["retry-after"] !== undefined || headers["x-ratelimit-remaining"] === "0");
  if (status === undefined || status >= 500 || status === 429 || limited) {
    return new ObjectsError("github-unavailable", `GitHub did not answer ${what}${status ? ` (${status})` : ""}`, { retryable: true });
  }
  return new ObjectsError(status === 401 || status === 403 ? "github-forbidden" : "github-refused", `GitHub refused ${what} (${status})`);
}

/**
 * The token a connection acts with. An app's installation token is exchanged once and reused until a minute
 * before it expires (`cache` lives as long as the caller's Durable Object).
 */
export async function connectionToken(connection: RepoConnection, cache: { current?: InstallationToken }, timeoutMs: number = DEADLINES_MS.github, now = Date.now()): Promise<string> {
  if ("token" in connection.auth) return connection.auth.token;
  if (cache.current && cache.current.expiresAt - 60_000 > now) return cache.current.token;
  const { appId, privateKey, installationId } = connection.auth.app;
  const jwt = await appJwt(appId, privateKey, now);
  const octokit = new Octokit({ baseUrl: connection.apiBaseUrl, auth: jwt, request: { retries: 0, fetch: fetchWithDeadline("github", timeoutMs) } });
  try {
    const { data } = await octokit.request("POST /app/installations/{installation_id}/access_tokens", { installation_id: Number(installationId) });
    cache.current = { token: data.token, expiresAt: Date.parse(data.expires_at) };
    return data.token;
  } catch (error) {
    throw githubError(error, "the installation token");
  }
}

/** An Octokit for the connection's API base URL (GitHub.com or Enterprise), authenticated with `token`. */
export function octokitFor(connection: RepoConnection, token: string, timeoutMs: number = DEADLINES_MS.github): Octokit {
  // Every request has a deadline: a GitHub that accepts and never answers cannot hold a job.
  return new Octokit({ baseUrl: connection.apiBaseUrl, auth: token, userAgent: "objects.do", request: { retries: 0, fetch: fetchWithDeadline("github", timeoutMs) } });
}

/**
 * The GitHub user id a token acts as (its comments are found by it); undefined for a GitHub App, which comments as
 * a bot, and when GitHub will not say.
 */
export async function authorOf(connection: RepoConnection, octokit: Octokit): Promise<number | undefined> {
  if (!("token" in connection.auth)) return undefined;
  try {
    return (await octokit.users.getAuthenticated()).data.id;
  } catch (error) {
    throw githubError(error, "who the token is");
  }
}
