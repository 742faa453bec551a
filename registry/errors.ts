// Errors as values: one ObjectsError with a stable code and a kind, the kind→status table, and problem bodies.
import type { Issue, Problem } from "../schemas/index.ts";

export type ErrorKind =
  | "bad-request"
  | "unauthenticated"
  | "forbidden"
  | "not-found"
  | "method-not-allowed"
  | "conflict"
  | "gone"
  | "too-large"
  | "unsupported-media"
  | "invalid"
  | "rate-limited"
  | "method-failed"
  | "internal"
  | "unavailable"
  | "insufficient-storage"
  | "timeout";

export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  "bad-request": 400,
  unauthenticated: 401,
  forbidden: 403,
  "not-found": 404,
  "method-not-allowed": 405,
  conflict: 409,
  gone: 410,
  "too-large": 413,
  "unsupported-media": 415,
  invalid: 422,
  "rate-limited": 429,
  "method-failed": 500,
  internal: 500,
  unavailable: 503,
  timeout: 504,
  "insufficient-storage": 507,
};

const TITLE_OF_KIND: Record<ErrorKind, string> = {
  "bad-request": "Bad request",
  unauthenticated: "Unauthenticated",
  forbidden: "Forbidden",
  "not-found": "Not found",
  "method-not-allowed": "Method not allowed",
  conflict: "Conflict",
  gone: "Gone",
  "too-large": "Too large",
  "unsupported-media": "Unsupported media type",
  invalid: "Invalid",
  "rate-limited": "Too many requests",
  "method-failed": "Method failed",
  internal: "Internal error",
  unavailable: "Unavailable",
  timeout: "Timed out",
  "insufficient-storage": "Insufficient storage",
};

export interface ErrorDetails {
  issues?: Issue[];
  candidates?: string[];
  retryable?: boolean;
  headers?: Record<string, string>;
}

/** The one error class of objects.do: `code` is stable kebab-case, `kind` picks the HTTP status. */
export class ObjectsError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = "ObjectsError";
    this.retryable = details.retryable ?? kind === "unavailable";
  }

  get status(): number {
    return STATUS_OF_KIND[this.kind];
  }
}

/** Shorthand for a 422 carrying every located issue. */
export function invalid(issues: Issue[], message = `the definition has ${issues.length} problem(s)`): ObjectsError {
  return new ObjectsError("invalid", "definition-invalid", message, { issues });
}

/** Any thrown value as an ObjectsError; unclassified errors become `internal` without leaking their text. */
export function asObjectsError(error: unknown): ObjectsError {
  if (error instanceof ObjectsError) return error;
  return new ObjectsError("internal", "internal-error", "an internal error occurred");
}

/** The problem+json body of an error (never a stack, never the text of an unclassified error). */
export function problemOf(error: ObjectsError, requestId?: string): Problem {
  return {
    type: `https://objects.do/problems/${error.code}`,
    title: TITLE_OF_KIND[error.kind],
    status: error.status,
    code: error.code,
    detail: error.message,
    ...(error.details.issues ? { errors: error.details.issues } : {}),
    ...(error.details.candidates ? { candidates: error.details.candidates } : {}),
    ...(requestId ? { requestId } : {}),
  };
}

/** The single place an error becomes an HTTP response: `application/problem+json` with the kind's status. */
export function problemResponse(thrown: unknown, requestId?: string): Response {
  const error = asObjectsError(thrown);
  if (error.kind === "internal" && !(thrown instanceof ObjectsError)) {
    // The log and the body share an id, so a report can be matched to its cause without the body leaking it.
    requestId ??= crypto.randomUUID();
    console.error(`[${requestId}] unclassified error`, thrown);
  }
  return new Response(`${JSON.stringify(problemOf(error, requestId))}\n`, {
    status: error.status,
    headers: { "content-type": "application/problem+json", ...error.details.headers },
  });
}
