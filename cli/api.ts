// The CLI's HTTP client of the management API and the runtime: JSON in, JSON out, problems as one-line errors.
import type { Issue, Problem } from "../schemas/index.ts";
import { CliError, EXIT, exitCodeOf } from "./errors.ts";

export interface ApiOptions {
  url: string;
  token?: string;
}

/** `file:line:col message` for each issue a problem carries. */
const issueText = (issues: Issue[]) =>
  issues.map((issue) => `${issue.file ? `${issue.file}${issue.line ? `:${issue.line}${issue.column ? `:${issue.column}` : ""}` : ""}` : issue.path || "(definition)"} ${issue.message}`);

/** Sends one request; answers the parsed JSON body, or throws a CliError naming what the server said. */
export async function request<T>(options: ApiOptions, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${options.url}${path}`, {
      method,
      headers: { accept: "application/json", ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    throw new CliError(`cannot reach ${options.url}: ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}`, EXIT.unavailable);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (response.ok) return parsed as T;
  // Whatever answered may not be objects.do (a proxy's HTML page): every field is read as optional.
  const problem = (parsed ?? {}) as Partial<Problem>;
  const detail = problem.detail ?? problem.title ?? (text.slice(0, 200) || response.statusText);
  const lines = problem.errors?.length ? [detail, ...issueText(problem.errors)] : [detail];
  throw new CliError(`${lines.join("\n")}${problem.code ? ` (${response.status} ${problem.code})` : ` (${response.status})`}`, exitCodeOf(response.status), parsed);
}

/** `crm.acme.com@v1` → `/crm.acme.com@v1`, keeping the `@` readable and escaping what a path cannot hold. */
export const objectPath = (target: string) => `/${target.split("/").map((segment) => encodeURIComponent(segment).replaceAll("%40", "@").replaceAll("%5E", "^")).join("/")}`;
