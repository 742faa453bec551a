// In-flight notes for the local supervisor: one line when a call starts and one when it ends. Printed synchronously
// before user code runs, so the last unended start survives a frozen or aborted runtime in the supervisor's memory.
// Each line costs about 8% of a call's throughput (BENCHMARKS.md), so an isolate (one version) notes only its first
// `trustAfter` calls: a version that answered that many is trusted. If a trusted version then freezes the runtime,
// no note names it; the supervisor restarts into careful mode (every call noted) and names it the next time.
import { log } from "./intrinsics.ts";
import type { Supervision } from "./protocol.ts";

let calls = 0;
let answered = 0;
const NOTHING = () => {};

/** Notes that `what` (`method customers.create`) starts; the answer notes that it ended. Nothing without supervision. */
export function noteCall(supervision: Supervision | undefined, what: string): () => void {
  if (!supervision || (supervision.trustAfter >= 0 && answered >= supervision.trustAfter)) return NOTHING;
  const call = ++calls;
  log(`${supervision.marker} start ${call} ${supervision.label} ${what}`);
  return () => {
    answered++;
    log(`${supervision.marker} end ${call} ${supervision.label}`);
  };
}
