// What a rollout's calls are counted under, and the counting (pure): the Worker's call journal counts calls of
// `@latest`, the host a schedule's ticks, both into the same counts per rollout, step, side and 10 s slot.
import { countLatency, type RolloutCount } from "../../schemas/index.ts";
import type { Arm } from "./rollout-split.ts";

/** What a call of a rollout is counted under: the rollout, its step and the side that answered. */
export interface RolloutTag {
  id: string;
  step: number;
  arm: Arm;
}

/** Slots of the rollout series the dashboard draws (calls of one window fall in one or two). */
export const ROLLOUT_SLOT_MS = 10_000;

/** Adds one request a rollout split to the counts of its rollout, step, side and slot. */
export function countRollout(counts: Map<string, RolloutCount>, call: { at: number; ok: boolean; ms: number; rollout?: RolloutTag }): void {
  const { rollout } = call;
  if (!rollout) return;
  const slot = Math.floor(call.at / ROLLOUT_SLOT_MS) * ROLLOUT_SLOT_MS;
  const key = `${rollout.id}\n${rollout.step}\n${rollout.arm}\n${slot}`;
  let count = counts.get(key);
  if (!count) counts.set(key, (count = { rollout: rollout.id, step: rollout.step, arm: rollout.arm, slot, calls: 0, failed: 0, latency: {} }));
  count.calls++;
  if (!call.ok) count.failed++;
  countLatency(count.latency, call.ms);
}
