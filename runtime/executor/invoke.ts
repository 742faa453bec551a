// One call into a sandbox: the sandbox's reply mapped to typed failures, and the result cap.
import { failed, ObjectsError, type Result } from "../../core/index.ts";
import type { RuntimeLimits } from "../shared/limits.ts";
import { decodeReply, eventReports, type EventReport, type Refusal, type SandboxFailureCode, type SandboxReply, type WireReply } from "../shared/sandbox-protocol.ts";

type SandboxFailure = Extract<SandboxReply, { ok: false }>;

const tooLarge = (method: string, limits: RuntimeLimits) => new ObjectsError("result-too-large", `the result of ${method} exceeds ${limits.maxResultBytes} characters of JSON`);

/** Each code of the protocol as the error the edge answers; a new code that is not mapped here fails to compile. */
const FAILURES: Record<SandboxFailureCode, (reply: SandboxFailure, label: string, method: string, limits: RuntimeLimits) => ObjectsError> = {
  "method-not-found": (_, label, method) => new ObjectsError("method-not-found", `${label} has no method "${method}"`),
  "cpu-limit": (_, __, method) => new ObjectsError("cpu-limit", `${method} used up its CPU budget and was stopped`),
  "call-timeout": (_, __, method, limits) => new ObjectsError("call-timeout", `${method} ran longer than ${limits.callMs} ms`),
  "method-failed": (reply) => new ObjectsError("method-failed", `${reply.name}: ${reply.message}`),
  "non-serializable-result": (reply, _, method) => new ObjectsError("non-serializable-result", `${method}: ${reply.message}`),
  "result-too-large": (_, __, method, limits) => tooLarge(method, limits),
};

function sandboxFailure(reply: SandboxFailure, label: string, method: string, limits: RuntimeLimits): ObjectsError {
  const map = Object.hasOwn(FAILURES, reply.code) ? FAILURES[reply.code] : undefined;
  return map ? map(reply, label, method, limits) : new ObjectsError("sandbox-failed", `${method} answered in a way this runtime does not know`);
}

/** A sandbox call's outcome: its result, and the events it emitted (their handlers already ran in the sandbox). */
export interface Settled {
  result: Result<{ json: string }>;
  events: EventReport[];
  /** What the facet refused the call (its storage full, `$.fsx` over quota): the call answers that. */
  refused?: Refusal;
}

/**
 * Awaits one sandbox call and maps its outcome. The sandbox enforces its own limits (guards for running code, a
 * timer for waiting code), so no timer is set here: a timer per call cost about 5% of throughput (CPU profile).
 * A rejected call means workerd cancelled code that hung with nothing pending, or the isolate died: `sandbox-failed`,
 * never the platform's error text.
 */
export async function settleSandbox(call: Promise<WireReply>, label: string, method: string, limits: RuntimeLimits): Promise<Settled> {
  let wire: WireReply;
  try {
    wire = await call;
  } catch {
    return { result: failed(new ObjectsError("sandbox-failed", `${method} ended without a result: it hung with nothing pending, crashed or ran out of memory`)), events: [] };
  }
  const reply = decodeReply(wire);
  return { result: resultOf(reply, label, method, limits), events: eventReports(reply.events), ...(reply.refused ? { refused: reply.refused } : {}) };
}

/** A call that cannot emit (no `$` host): only its result. */
export async function settleCall(call: Promise<WireReply>, label: string, method: string, limits: RuntimeLimits): Promise<Result<{ json: string }>> {
  return (await settleSandbox(call, label, method, limits)).result;
}

/** A reply the sandbox sent (an event handler's), mapped as a call's. */
export const settleReply = (wire: unknown, label: string, method: string, limits: RuntimeLimits) => resultOf(decodeReply(wire), label, method, limits);

/** A typed failure, or the result within its cap. */
function resultOf(reply: SandboxReply, label: string, method: string, limits: RuntimeLimits): Result<{ json: string }> {
  if (!reply.ok) return failed(sandboxFailure(reply, label, method, limits));
  if (reply.json.length > limits.maxResultBytes) {
    return failed(tooLarge(method, limits));
  }
  return { ok: true, value: { json: reply.json } };
}
