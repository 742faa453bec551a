// A rollout step's analysis (pure): the canary's error rate and p99 against the policy's bounds and the stable
// version's own figures over the same step. A canary fails only where it is also worse than the stable version, so an
// outage both share (a dependency down) does not blame the change.
import { quantileMs, rateText, type ArmStats, type Histogram, type RolloutPolicy, type StepAnalysis } from "../schemas/index.ts";

/** Every call one version answered in one step: counts, failures and their latencies. */
export interface ArmCounts {
  calls: number;
  failed: number;
  latency: Histogram;
}

export const NO_CALLS: ArmCounts = { calls: 0, failed: 0, latency: {} };

export function armStats({ calls, failed, latency }: ArmCounts): ArmStats {
  return { calls, failed, errorRate: calls === 0 ? 0 : failed / calls, p99Ms: quantileMs(latency, 0.99) };
}

/** Judges one step: `fail` names every bound the canary broke, `wait` asks for more calls, else `pass`. */
export function judgeStep(policy: RolloutPolicy, stableCounts: ArmCounts, canaryCounts: ArmCounts): StepAnalysis {
  const stable = armStats(stableCounts);
  const canary = armStats(canaryCounts);
  const reasons: string[] = [];
  if (canary.errorRate > policy.maxErrorRate && canary.errorRate > stable.errorRate) {
    reasons.push(`error rate ${rateText(canary.errorRate)} (${canary.failed} of ${canary.calls} calls) over the ${rateText(policy.maxErrorRate)} allowed; the stable version's was ${rateText(stable.errorRate)}`);
  }
  if (canary.p99Ms !== null && canary.p99Ms > policy.maxP99Ms && (stable.p99Ms === null || canary.p99Ms > stable.p99Ms)) {
    reasons.push(`p99 ${canary.p99Ms} ms over the ${policy.maxP99Ms} ms allowed; the stable version's was ${stable.p99Ms === null ? "unmeasured" : `${stable.p99Ms} ms`}`);
  }
  if (reasons.length > 0) return { stable, canary, verdict: "fail", reasons };
  if (canary.calls < policy.minCalls) return { stable, canary, verdict: "wait", reasons: [`${canary.calls} of the ${policy.minCalls} calls needed to judge the step`] };
  const seen = canary.calls === 0 ? "no calls reached the new version: nothing failed" : `error rate ${rateText(canary.errorRate)}, p99 ${canary.p99Ms} ms over ${canary.calls} calls`;
  return { stable, canary, verdict: "pass", reasons: [seen] };
}
