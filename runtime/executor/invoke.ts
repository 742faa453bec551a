// One call into a sandbox: deadline, result cap, and the sandbox's reply mapped to typed failures.
import { asObjectsError, ObjectsError, type ErrorKind } from "../../registry/index.ts";
import type { RuntimeLimits } from "../limits.ts";
import type { SandboxReply } from "./loader.ts";

/** Failures cross RPC as values; the edge turns them into problem responses. */
export type Failure = { kind: ErrorKind; code: string; message: string; candidates?: string[] };
export type Reply<T> = { ok: true; value: T } | { ok: false; failure: Failure };

/** Any thrown value as a failed reply (unclassified errors become `internal`, without their text). */
export function failed(error: unknown): { ok: false; failure: Failure } {
  const { kind, code, message, details } = asObjectsError(error);
  return { ok: false, failure: { kind, code, message, ...(details.candidates ? { candidates: details.candidates } : {}) } };
}

function sandboxFailure(reply: Exclude<SandboxReply, { ok: true }>, label: string, method: string, limits: RuntimeLimits): Failure {
  switch (reply.code) {
    case "method-not-found":
      return { kind: "not-found", code: "method-not-found", message: `${label} has no method "${method}"` };
    case "cpu-limit":
      return { kind: "timeout", code: "cpu-limit", message: `${method} used up its CPU budget and was stopped` };
    case "call-timeout":
      return { kind: "timeout", code: "call-timeout", message: `${method} ran longer than ${limits.callMs} ms` };
    case "method-failed":
      return { kind: "method-failed", code: "method-failed", message: `${reply.name}: ${reply.message}` };
  }
}

/**
 * Awaits one sandbox call and maps its outcome. The sandbox enforces its own limits (guards for running code, a
 * timer for waiting code), so no timer is set here: a timer per call cost about 5% of throughput (CPU profile).
 * A rejected call means workerd cancelled code that hung with nothing pending, or the isolate died: `sandbox-failed`,
 * never the platform's error text.
 */
export async function settleCall(call: Promise<SandboxReply>, label: string, method: string, limits: RuntimeLimits): Promise<Reply<{ json: string }>> {
  let reply: SandboxReply;
  try {
    reply = await call;
  } catch {
    return failed(new ObjectsError("method-failed", "sandbox-failed", `${method} ended without a result: it hung with nothing pending, crashed or ran out of memory`));
  }
  if (!reply.ok) return { ok: false, failure: sandboxFailure(reply, label, method, limits) };
  if (reply.json.length > limits.maxResultBytes) {
    return failed(new ObjectsError("too-large", "result-too-large", `the result of ${method} exceeds ${limits.maxResultBytes} bytes`));
  }
  return { ok: true, value: { json: reply.json } };
}
