// The budget of one sandboxed call: a guard the instrumented code calls at every function entry and loop iteration.
import type { SandboxLimits } from "../shared/sandbox-protocol.ts";
import { freeze, now } from "./intrinsics.ts";

export type StopCode = "cpu-limit" | "call-timeout";

/** The one value every tripped guard throws: frozen, so code that catches it can change nothing about it. */
class CallBudgetExceeded extends Error {
  constructor() {
    super("the call used up its budget");
    this.name = "CallBudgetExceeded";
  }
}
freeze(CallBudgetExceeded.prototype);
freeze(CallBudgetExceeded);
export const EXCEEDED = freeze(new CallBudgetExceeded());

export interface Budget {
  guard: () => void;
  stopped(): StopCode | null;
  /** After the call answered: every later guard (a timer the call left behind) throws at once. */
  end(): void;
}

export function createBudget(limits: SandboxLimits): Budget {
  const maxTicks = limits.ticks;
  const deadline = now() + limits.ms;
  let ticks = 0;
  let stop: StopCode | null = null;
  let ended = false;
  // Time does not advance inside synchronous code on Workers, so ticks bound sync loops and the clock async ones.
  const guard = () => {
    if (stop === null && !ended) {
      if (++ticks > maxTicks) stop = "cpu-limit";
      else if ((ticks & 1023) === 0 && now() > deadline) stop = "call-timeout";
      else return;
    }
    throw EXCEEDED;
  };
  return { guard, stopped: () => stop, end: () => void (ended = true) };
}
