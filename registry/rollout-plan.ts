// Rollouts as decisions (pure): what a publication of `latest` does to them, and what an analysis or a command does to
// the one running. While a rollout runs, `latest` stays on the stable version; the canary only takes a share of calls.
import { ObjectsError } from "../core/index.ts";
import type { PublishCommand } from "./ports.ts";
import { isActive, ROLLOUT_HISTORY, type RefState, type Rollout, type RolloutEvent, type RolloutPolicy, type StepAnalysis } from "../schemas/index.ts";

/** What a publication that names `latest` does: move it at once (no rollout), or start, keep or end a rollout. */
export interface RolloutOnPublish {
  moveLatest: boolean;
  /** The record to store, when it changed. */
  rollout?: Rollout;
  change?: "started" | "replaced" | "ended";
}

const withEvent = (rollout: Rollout, event: RolloutEvent): Rollout["history"] => [...rollout.history, event].slice(-ROLLOUT_HISTORY);

/** Ends a rollout: every call goes to the version `latest` serves from now on. */
function ended(rollout: Rollout, status: "promoted" | "aborted" | "replaced", at: string, reason: string, by?: string, analysis?: StepAnalysis): Rollout {
  const event: RolloutEvent = { at, action: status, weight: status === "promoted" ? 100 : 0, reason, ...(by ? { by } : {}), ...(analysis ? { analysis } : {}) };
  return { ...rollout, revision: rollout.revision + 1, status, weight: 0, endedAt: at, reason, history: withEvent(rollout, event) };
}

/**
 * A publication of `hash` at `latest` whose definition declares `policy` (null: none). A change with a policy starts a
 * rollout from what `latest` serves (a new change during a rollout replaces its canary); a change without one, or
 * one back to the stable version, moves `latest` at once and ends the rollout running.
 */
export function rolloutOnPublish(state: RefState, hash: string, policy: RolloutPolicy | null, at: string, by?: string): RolloutOnPublish {
  const current = state.refs.latest;
  const active = isActive(state.rollout) ? state.rollout : undefined;
  if (policy && current !== undefined && hash !== current) {
    if (active?.canary === hash) return { moveLatest: false };
    const started: RolloutEvent = { at, action: "started", weight: policy.steps[0]!, ...(by ? { by } : {}), ...(active ? { reason: `replaced the canary ${active.canary.slice(0, 12)}` } : {}) };
    const rollout: Rollout = {
      id: `${hash.slice(0, 12)}-${Date.parse(at)}`,
      revision: 1,
      stable: current,
      canary: hash,
      policy,
      step: 0,
      weight: policy.steps[0]!,
      status: "progressing",
      startedAt: at,
      stepStartedAt: at,
      ...(by ? { by } : {}),
      history: [started],
    };
    return { moveLatest: false, rollout, change: active ? "replaced" : "started" };
  }
  if (!active) return { moveLatest: true };
  const reason = hash === active.stable ? "a change brought back the stable version" : `latest moved to ${hash.slice(0, 12)} without a rollout`;
  return { moveLatest: true, rollout: ended(active, "replaced", at, reason, by), change: "ended" };
}

/** Something that changes the running rollout: a step's analysis, or a person. */
export type RolloutCommand =
  | { kind: "analysis"; rollout: string; revision: number; analysis: StepAnalysis; at: string }
  | { kind: "pause" | "resume" | "promote" | "abort"; at: string; by: string; reason?: string };

export interface RolloutPlan {
  rollout: Rollout;
  /** Set when the canary is promoted: `latest` moves to it, compare-and-swap on the stable version. */
  promote?: { hash: string; from: string };
}

/** The running rollout, or 409 `rollout-not-active` naming how the last one ended. */
function activeRolloutOf(id: string, state: RefState): Rollout {
  const { rollout } = state;
  if (isActive(rollout)) return rollout;
  const last = rollout ? `: the last one was ${rollout.status} at ${rollout.endedAt}` : "";
  throw new ObjectsError("rollout-not-active", `${id} has no rollout running${last}`);
}

function promoted(rollout: Rollout, at: string, reason: string, by?: string, analysis?: StepAnalysis): RolloutPlan {
  return { rollout: ended(rollout, "promoted", at, reason, by, analysis), promote: { hash: rollout.canary, from: rollout.stable } };
}

/** Applies one analysis: a pass advances (or promotes after the last step), a fail aborts, a wait runs the step again. */
function afterAnalysis(rollout: Rollout, analysis: StepAnalysis, at: string): RolloutPlan {
  const { steps } = rollout.policy;
  if (analysis.verdict === "fail") return { rollout: ended(rollout, "aborted", at, `analysis failed at ${rollout.weight}%: ${analysis.reasons.join("; ")}`, undefined, analysis) };
  if (analysis.verdict === "wait") {
    const event: RolloutEvent = { at, action: "waited", weight: rollout.weight, reason: analysis.reasons.join("; "), analysis };
    return { rollout: { ...rollout, revision: rollout.revision + 1, stepStartedAt: at, history: withEvent(rollout, event) } };
  }
  const next = rollout.step + 1;
  if (next >= steps.length || steps[next]! >= 100) return promoted(rollout, at, `every step passed its analysis (last at ${rollout.weight}%)`, undefined, analysis);
  const weight = steps[next]!;
  const event: RolloutEvent = { at, action: "advanced", weight, analysis };
  return { rollout: { ...rollout, revision: rollout.revision + 1, step: next, weight, stepStartedAt: at, history: withEvent(rollout, event) } };
}

/** What a command does to the rollout running; throws `rollout-not-active`, or `rollout-moved` for a stale analysis. */
export function planRolloutCommand(id: string, state: RefState, command: RolloutCommand): RolloutPlan {
  const rollout = activeRolloutOf(id, state);
  const { at } = command;
  switch (command.kind) {
    case "analysis":
      if (command.rollout !== rollout.id || command.revision !== rollout.revision || rollout.status !== "progressing") {
        throw new ObjectsError("rollout-moved", `the rollout of ${id} changed while its step was analysed`);
      }
      return afterAnalysis(rollout, command.analysis, at);
    case "pause":
      if (rollout.status === "paused") return { rollout };
      return { rollout: { ...rollout, revision: rollout.revision + 1, status: "paused", history: withEvent(rollout, { at, action: "paused", weight: rollout.weight, by: command.by, ...(command.reason ? { reason: command.reason } : {}) }) } };
    case "resume":
      if (rollout.status === "progressing") return { rollout };
      // The step runs a whole interval again: the calls of a pause are not judged.
      return { rollout: { ...rollout, revision: rollout.revision + 1, status: "progressing", stepStartedAt: at, history: withEvent(rollout, { at, action: "resumed", weight: rollout.weight, by: command.by, ...(command.reason ? { reason: command.reason } : {}) }) } };
    case "promote":
      return promoted(rollout, at, command.reason ?? `promoted by ${command.by}`, command.by);
    case "abort":
      return { rollout: ended(rollout, "aborted", at, command.reason ?? `aborted by ${command.by}`, command.by) };
  }
}

/** The publication a promotion makes: `latest` moves to the canary, compare-and-swap on the stable version. */
export function promotionCommand(plan: RolloutPlan, command: RolloutCommand): PublishCommand | null {
  if (!plan.promote) return null;
  const actor = command.kind === "analysis" ? {} : { actor: command.by };
  const provenance = { source: "api" as const, at: command.at, message: `rollout ${plan.rollout.id} promoted: ${plan.rollout.reason}`, ...actor };
  return { hash: plan.promote.hash, refs: ["latest"], expect: { latest: plan.promote.from }, provenance };
}
