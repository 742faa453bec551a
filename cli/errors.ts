// What the CLI can fail with: one clear line and a documented exit code, never a stack.

/** Exit codes (README "The objects CLI"). */
export const EXIT = {
  ok: 0,
  /** The command ran and found problems: invalid definitions, a refused push, a failed call, a 4xx answer. */
  problems: 1,
  /** The command line itself is wrong: unknown command or option, a missing argument. */
  usage: 2,
  /** No token, or the server refused it (401/403). */
  auth: 3,
  /** The object, ref or method does not exist (404/410). */
  notFound: 4,
  /** The server is unreachable or failed (network error, 5xx). */
  unavailable: 5,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.problems,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/** The exit code an HTTP status maps to. */
export function exitCodeOf(status: number): number {
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 404 || status === 410) return EXIT.notFound;
  if (status >= 500) return EXIT.unavailable;
  return EXIT.problems;
}
