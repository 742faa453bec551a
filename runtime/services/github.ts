// github.do: @octokit/rest with the platform's token and a configurable API base URL (GitHub Enterprise, or tests).
import { Octokit } from "@octokit/rest";
import { fetchWithDeadline } from "../../core/index.ts";

export interface GitHubConfig {
  token?: string;
  baseUrl?: string;
}

type Method = (...args: unknown[]) => unknown;

// The seed writes `github.repos.get('owner/repo')`: a leading "owner/name" string becomes `{ owner, repo }`.
function withRepository(method: Method): Method {
  return (first, ...rest) => {
    if (typeof first === "string" && /^[\w.-]+\/[\w.-]+$/.test(first)) {
      const [owner, repo] = first.split("/");
      return method({ owner, repo, ...((rest[0] as object | undefined) ?? {}) }, ...rest.slice(1));
    }
    return method(first, ...rest);
  };
}

/** Octokit's REST namespaces (`repos`, `issues`, `pulls`, …) with their methods: `$.github.repos.get('owner/repo')`. */
export function githubService({ token, baseUrl }: GitHubConfig): object {
  const octokit = new Octokit({ ...(token ? { auth: token } : {}), ...(baseUrl ? { baseUrl } : {}), userAgent: "objects.do", request: { retries: 0, fetch: fetchWithDeadline("github") } });
  const service: Record<string, Record<string, Method>> = {};
  for (const [namespace, methods] of Object.entries(octokit.rest as unknown as Record<string, Record<string, Method>>)) {
    service[namespace] = Object.fromEntries(Object.entries(methods).map(([name, method]) => [name, withRepository(method)]));
  }
  return service;
}
