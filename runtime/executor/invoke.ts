// One call into a sandbox: the sandbox's reply mapped to typed failures, and the result cap.
import { asObjectsError, ObjectsError, type ErrorKind } from "../../registry/index.ts";
import type { RuntimeLimits } from "../limits.ts";
import { decodeReply, type SandboxFailureCode, type SandboxReply, type WireReply } from "./sandbox/protocol.ts";

/** Failures cross RPC as values; the edge turns them into problem responses. */
export type Failure = { kind: ErrorKind; code: string; message: string; candidates?: string[] };
export type Reply<T> = { ok: true; value: T } | { ok: false; failure: Failure };

/** Any thrown value as a failed reply (unclassified errors become `internal`, without their text). */
export function failed(error: unknown): { ok: false; failure: Failure } {
  const { kind, code, message, details } = asObjectsError(error);
  return { ok: false, failure: { kind, code, message, ...(details.candidates ? { candidates: details.candidates } : {}) } };
}

type SandboxFailure = Extract<SandboxReply, { ok: false }>;

/** Each code of the protocol as the failure the edge answers; a new code that is not mapped here fails to compile. */
const FAILURES: Record<SandboxFailureCode, (reply: SandboxFailure, label: string, method: string, limits: RuntimeLimits) => Failure> = {
  "method-not-found": (_, label, method) => ({ kind: "not-found", code: "method-not-found", message: `${label} has no method "${method}"` }),
  "cpu-limit": (_, __, method) => ({ kind: "timeout", code: "cpu-limit", message: `${method} used up its CPU budget and was stopped` }),
  "call-timeout": (_, __, method, limits) => ({ kind: "timeout", code: "call-timeout", message: `${method} ran longer than ${limits.callMs} ms` }),
  "method-failed": (reply) => ({ kind: "method-failed", code: "method-failed", message: `${reply.name}: ${reply.message}` }),
  "non-serializable-result": (reply, _, method) => ({ kind: "method-failed", code: "non-serializable-result", message: `${method}: ${reply.message}` }),
  "result-too-large": (_, __, method, limits) => ({ kind: "too-large", code: "result-too-large", message: `the result of ${method} exceeds ${limits.maxResultBytes} characters of JSON` }),
};

function sandboxFailure(reply: SandboxFailure, label: string, method: string, limits: RuntimeLimits): Failure {
  const map = Object.hasOwn(FAILURES, reply.code) ? FAILURES[reply.code] : undefined;
  return map ? map(reply, label, method, limits) : { kind: "internal", code: "sandbox-failed", message: `${method} answered in a way this runtime does not know` };
}

/**
 * Awaits one sandbox call and maps its outcome. The sandbox enforces its own limits (guards for running code, a
 * timer for waiting code), so no timer is set here: a timer per call cost about 5% of throughput (CPU profile).
 * A rejected call means workerd cancelled code that hung with nothing pending, or the isolate died: `sandbox-failed`,
 * never the platform's error text.
 */
export async function settleCall(call: Promise<WireReply>, label: string, method: string, limits: RuntimeLimits): Promise<Reply<{ json: string }>> {
  let reply: SandboxReply;
  try {
    reply = decodeReply(await call);
  } catch {
    return failed(new ObjectsError("method-failed", "sandbox-failed", `${method} ended without a result: it hung with nothing pending, crashed or ran out of memory`));
  }
  if (!reply.ok) return { ok: false, failure: sandboxFailure(reply, label, method, limits) };
  if (reply.json.length > limits.maxResultBytes) {
    return failed(new ObjectsError("too-large", "result-too-large", `the result of ${method} exceeds ${limits.maxResultBytes} characters of JSON`));
  }
  return { ok: true, value: { json: reply.json } };
}
