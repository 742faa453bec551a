// Errors as values: one ObjectsError naming a catalogued code (error-codes.ts gives its kind), the kind→status
// table, and problem bodies.
import type { Issue, Problem } from "../schemas/index.ts";
import { ERROR_CODES, type ErrorCode } from "./error-codes.ts";

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

/** The one error class of objects.do: `code` is catalogued (error-codes.ts), which gives its kind and HTTP status. */
export class ObjectsError extends Error {
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = "ObjectsError";
    const spec: { kind: ErrorKind; retryable?: boolean } = ERROR_CODES[code];
    this.kind = spec.kind;
    this.retryable = details.retryable ?? spec.retryable ?? spec.kind === "unavailable";
  }

  get status(): number {
    return STATUS_OF_KIND[this.kind];
  }
}

/**
 * An ObjectsError as a plain value: what crosses Durable Object RPC, the sandbox's answers and the call paths, and
 * turns back into the same error (`errorOf`) wherever it is thrown again. `kind` is the code's, carried for readers.
 */
export interface ErrorValue {
  code: ErrorCode;
  kind: ErrorKind;
  message: string;
  candidates?: string[];
  issues?: Issue[];
}
export type Result<T> = { ok: true; value: T } | { ok: false; failure: ErrorValue };

/** Any thrown value as a failed result (unclassified errors become `internal-error`, without their text). */
export function failed(error: unknown): { ok: false; failure: ErrorValue } {
  const { code, kind, message, details } = asObjectsError(error);
  return { ok: false, failure: { code, kind, message, ...(details.candidates ? { candidates: details.candidates } : {}), ...(details.issues ? { issues: details.issues } : {}) } };
}

/** The error a failed result carries, as the ObjectsError it was. */
export const errorOf = (value: ErrorValue): ObjectsError =>
  new ObjectsError(value.code, value.message, { ...(value.candidates ? { candidates: value.candidates } : {}), ...(value.issues ? { issues: value.issues } : {}) });

/** The value of a result, or its error thrown. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw errorOf(result.failure);
}

/** One line naming the code, for readers that get text only (an MCP tool result, the agent's model, a hub caller). */
export const describeError = (error: unknown): string => (error instanceof ObjectsError ? `${error.code}: ${error.message}` : String((error as Error | undefined)?.message ?? error));

/** Shorthand for a 422 carrying every located issue. */
export function invalid(issues: Issue[], message = `the definition has ${issues.length} problem(s)`): ObjectsError {
  return new ObjectsError("definition-invalid", message, { issues });
}

/** Any thrown value as an ObjectsError; unclassified errors become `internal` without leaking their text. */
export function asObjectsError(error: unknown): ObjectsError {
  if (error instanceof ObjectsError) return error;
  return new ObjectsError("internal-error", "an internal error occurred");
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
