// The runtime's limits, read once from configuration with safe defaults.

export interface RuntimeLimits {
  /** Wall-clock limit of one call, in ms (`CALL_TIMEOUT_MS`, default 30 s). */
  callMs: number;
  /** Guard ticks (function entries + loop iterations) one call may spend (`CALL_TICK_BUDGET`). */
  ticks: number;
  /** Production CPU limit of a sandbox per invocation, in ms; enforced by Cloudflare, not by local workerd. */
  cpuMs: number;
  /** How long an isolate trusts a resolved ref before asking the registry again (a publish invalidates its own isolate at once). */
  resolveTtlMs: number;
  maxResultBytes: number;
  maxEventDepth: number;
  /** The local supervisor's secret (`SUPERVISOR_MARKER`, set by `npm start`): the host notes each sandboxed call. */
  marker?: string;
  /** Calls of a version the host notes before it trusts the version (`SUPERVISOR_TRUST_AFTER`, default 100; 0 there, -1 here: never trust). */
  trustAfter?: number;
}

export const DEFAULT_LIMITS: RuntimeLimits = {
  callMs: 30_000,
  ticks: 200_000_000,
  cpuMs: 30_000,
  resolveTtlMs: 1_000,
  maxResultBytes: 8 * 1024 * 1024,
  maxEventDepth: 8,
};

const positive = (text: string | undefined, fallback: number) => {
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

/** Limits from string configuration (Worker vars); anything missing or malformed keeps its default. */
export function limitsFrom(vars: { CALL_TIMEOUT_MS?: string; CALL_TICK_BUDGET?: string; SUPERVISOR_MARKER?: string; SUPERVISOR_TRUST_AFTER?: string }): RuntimeLimits {
  const trust = Number(vars.SUPERVISOR_TRUST_AFTER);
  return {
    ...DEFAULT_LIMITS,
    ...(vars.SUPERVISOR_MARKER ? { marker: vars.SUPERVISOR_MARKER, trustAfter: vars.SUPERVISOR_TRUST_AFTER !== undefined && Number.isInteger(trust) && trust >= 0 ? (trust === 0 ? -1 : trust) : 100 } : {}),
    callMs: positive(vars.CALL_TIMEOUT_MS, DEFAULT_LIMITS.callMs),
    ticks: positive(vars.CALL_TICK_BUDGET, DEFAULT_LIMITS.ticks),
  };
}
