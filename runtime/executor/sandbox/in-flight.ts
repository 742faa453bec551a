// In-flight notes for the local supervisor: one line when a call starts and one when it ends. Printed synchronously
// before user code runs, so the last unended start survives a frozen or aborted runtime in the supervisor's memory.
import { log } from "./intrinsics.ts";
import type { Supervision } from "./protocol.ts";

let calls = 0;
const NOTHING = () => {};

/** Notes that `what` (`method customers.create`) starts; the answer notes that it ended. Nothing without supervision. */
export function noteCall(supervision: Supervision | undefined, what: string): () => void {
  if (!supervision) return NOTHING;
  const call = ++calls;
  log(`${supervision.marker} start ${call} ${supervision.label} ${what}`);
  return () => log(`${supervision.marker} end ${call} ${supervision.label}`);
}
