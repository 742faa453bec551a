// Where the full report of a connected repository's commit is served (pure).

/** `https://objects.do/_/reports/acme/objects/<sha>`: HTML for people, JSON for `accept: application/json`. */
export const reportUrl = (origin: string, repo: string, sha: string) => `${origin}/_/reports/${repo}/${sha}`;
