// In-flight notes for the local supervisor (`npm start`): the host prints one line before a sandbox call starts and one
// when it answers. The host and every sandbox share workerd's thread, so the start line is out before user code runs
// and the last unended start survives a frozen or aborted runtime in the supervisor's memory. Printed by the host, not
// inside the sandbox: a sandbox that logs holds about 0.4 MiB more per isolate (BENCHMARKS.md). Each line costs
// throughput, so a version is noted for its first `trustAfter` calls only; if a trusted version then freezes the
// runtime, no note names it, the supervisor restarts into careful mode (every call noted) and names it the next time.
// A version's first calls in this runtime are marked `start-cold`: they load and compile the definition first, which
// holds the thread as a freeze does (for longer, the larger the definition), so the supervisor allows them more time.
import type { SandboxEntrypoint } from "../shared/sandbox-protocol.ts";
import { formatInFlight } from "../../core/index.ts";

/** The supervisor's secret (the definition never sees it), the loader id it names, and when to stop noting. */
export interface Supervision {
  marker: string;
  /** The loader id: environment, object and content hash. */
  label: string;
  /** Calls noted before the version is trusted; -1: note every call (after a freeze that no note explained). */
  trustAfter: number;
}

let calls = 0;
/** Answered calls by loader id; forgotten past `MAX_LABELS` (a version then earns its trust again). */
const answered = new Map<string, number>();
const MAX_LABELS = 10_000;

/** Notes that `what` (`method customers.create`) of `label` starts, and when its reply settles, that it ended. */
function noted<T>(supervision: Supervision, what: string, start: () => Promise<T>): Promise<T> {
  const { marker, label, trustAfter } = supervision;
  const count = answered.get(label) ?? 0;
  if (trustAfter >= 0 && count >= trustAfter) return start();
  const call = ++calls;
  console.log(formatInFlight(marker, { kind: count === 0 ? "start-cold" : "start", call, label, what }));
  const reply = start();
  const ended = () => {
    if (answered.size >= MAX_LABELS && !answered.has(label)) answered.clear();
    answered.set(label, (answered.get(label) ?? 0) + 1);
    console.log(formatInFlight(marker, { kind: "end", call, label, what: "" }));
  };
  reply.then(ended, ended);
  return reply;
}

/** The sandbox with every call noted; the trial check runs no user code and is not noted. */
export function supervised(sandbox: SandboxEntrypoint, supervision: Supervision): SandboxEntrypoint {
  return {
    call: (name, params, host) => noted(supervision, `method ${name}`, () => sandbox.call(name, params, host)),
    event: (data, host, event) => noted(supervision, `event ${event.name}`, () => sandbox.event(data, host, event)),
    schedule: (pattern, host, tick) => noted(supervision, `schedule ${pattern}`, () => sandbox.schedule(pattern, host, tick)),
    page: (key, info, calls, host) => noted(supervision, `page ${key}`, () => sandbox.page(key, info, calls, host)),
    check: () => sandbox.check(),
  };
}
