import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { judgeStep, NO_CALLS, planRolloutCommand, rolloutOnPublish, type ArmCounts } from "../../registry/index.ts";
import { bucketOf, countLatency, quantileMs, rolloutPolicyOf, type Histogram, type RefState, type RolloutPolicy } from "../../schemas/index.ts";
import { callerPlace, chooseArm, createAnonymousPlaces } from "../../runtime/shared/rollout-split.ts";
import type { RunningRollout } from "../../runtime/executor/version-cache.ts";

const h = (c: string) => c.repeat(64);
const at = "2026-12-01T00:00:00.000Z";
const later = (seconds: number) => new Date(Date.parse(at) + seconds * 1000).toISOString();
const policy: RolloutPolicy = rolloutPolicyOf({ config: { rollout: { steps: [10, 50, 100], interval: "10s" } } })!;
const stateWith = (latest: string, extra: Partial<RefState> = {}): RefState => ({ refs: { latest }, versions: {}, commits: {}, gone: {}, publications: [], ...extra });
const counts = (calls: number, failed: number, ms = 5): ArmCounts => {
  const latency: Histogram = {};
  for (let i = 0; i < calls; i++) countLatency(latency, ms);
  return { calls, failed, latency };
};

describe("latency histograms", () => {
  it("reads a p99 at most 10% above the true one, never below", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.2, max: 60_000, noNaN: true }), { minLength: 1, maxLength: 500 }), (samples) => {
        const histogram: Histogram = {};
        for (const ms of samples) countLatency(histogram, ms);
        const sorted = [...samples].sort((a, b) => a - b);
        const truth = sorted[Math.ceil(0.99 * sorted.length) - 1]!;
        const read = quantileMs(histogram, 0.99)!;
        expect(read).toBeGreaterThanOrEqual(truth * 0.999);
        expect(read).toBeLessThanOrEqual(truth * 1.1 + 0.01);
      }),
    );
  });

  it("rounds a bucket's bound up: a p99 never reads below its calls", () => {
    // fast-check found it: 0.2102 ms falls in the bucket bounded by 0.2144, which rounded to the nearest read 0.21.
    const histogram: Histogram = {};
    countLatency(histogram, 0.21021021021021022);
    expect(quantileMs(histogram, 0.99)).toBe(0.22);
  });

  it("puts slower calls in higher buckets and reads nothing from an empty histogram", () => {
    expect(bucketOf(1)).toBeLessThan(bucketOf(2));
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(1e12)).toBe(bucketOf(1e13));
    expect(quantileMs({}, 0.99)).toBeNull();
  });
});

describe("a rollout policy", () => {
  it("fills in defaults and reads seconds", () => {
    expect(rolloutPolicyOf({ config: { rollout: {} } })).toEqual({ steps: [10, 50, 100], intervalMs: 300_000, maxErrorRate: 0.01, maxP99Ms: 500, minCalls: 0 });
    expect(rolloutPolicyOf({ config: { rollout: { interval: "45s", methods: ["a"] } } })).toMatchObject({ intervalMs: 45_000, methods: ["a"] });
    expect(rolloutPolicyOf({ config: {} })).toBeNull();
  });
});

describe("judging a step", () => {
  it.each([
    ["a healthy canary passes", counts(100, 0), counts(20, 0), "pass"],
    ["5% errors fail against a 1% bound", counts(100, 0), counts(100, 5), "fail"],
    ["an error rate the stable version shares passes", counts(100, 10), counts(100, 10), "pass"],
    ["a slow canary fails", counts(100, 0, 5), counts(100, 0, 900), "fail"],
    ["slow, but no slower than stable, passes", counts(100, 0, 900), counts(100, 0, 800), "pass"],
    ["no calls at all passes on time", NO_CALLS, NO_CALLS, "pass"],
  ] as const)("%s", (_, stable, canary, verdict) => {
    expect(judgeStep(policy, stable, canary).verdict).toBe(verdict);
  });

  it("waits for minCalls, and names every broken bound", () => {
    expect(judgeStep({ ...policy, minCalls: 50 }, counts(100, 0), counts(10, 0))).toMatchObject({ verdict: "wait", reasons: ["10 of the 50 calls needed to judge the step"] });
    const failed = judgeStep(policy, counts(100, 0, 5), counts(100, 5, 900));
    expect(failed.reasons).toHaveLength(2);
    expect(failed.reasons[0]).toMatch(/^error rate 5\.0% \(5 of 100 calls\) over the 1\.0% allowed/);
    expect(failed.canary).toMatchObject({ calls: 100, failed: 5, errorRate: 0.05 });
  });
});

describe("rollouts as decisions", () => {
  const started = rolloutOnPublish(stateWith(h("a")), h("b"), policy, at, "ops").rollout!;
  const running = (extra: Partial<RefState> = {}) => stateWith(h("a"), { rollout: started, ...extra });

  it("starts a rollout from what latest serves, and leaves latest where it is", () => {
    expect(rolloutOnPublish(stateWith(h("a")), h("b"), policy, at)).toMatchObject({ moveLatest: false, change: "started", rollout: { stable: h("a"), canary: h("b"), weight: 10, step: 0, status: "progressing" } });
    // A first publication, or the same content again, has nothing to roll out from.
    expect(rolloutOnPublish({ refs: {}, versions: {}, commits: {}, gone: {}, publications: [] }, h("b"), policy, at)).toEqual({ moveLatest: true });
    expect(rolloutOnPublish(stateWith(h("a")), h("a"), policy, at)).toEqual({ moveLatest: true });
  });

  it("replaces the canary on a new change, keeps it on the same, ends the rollout on a change without a policy or back to stable", () => {
    expect(rolloutOnPublish(running(), h("c"), policy, later(5))).toMatchObject({ change: "replaced", rollout: { stable: h("a"), canary: h("c"), step: 0 } });
    expect(rolloutOnPublish(running(), h("b"), policy, later(5))).toEqual({ moveLatest: false });
    expect(rolloutOnPublish(running(), h("c"), null, later(5))).toMatchObject({ moveLatest: true, change: "ended", rollout: { status: "replaced" } });
    expect(rolloutOnPublish(running(), h("a"), policy, later(5))).toMatchObject({ moveLatest: true, change: "ended", rollout: { status: "replaced", reason: "a change brought back the stable version" } });
  });

  it("advances on a pass, promotes after the last step below 100, aborts on a fail, runs a wait again", () => {
    const pass = judgeStep(policy, counts(10, 0), counts(10, 0));
    const step1 = planRolloutCommand("x", running(), { kind: "analysis", rollout: started.id, revision: 1, analysis: pass, at: later(13) });
    expect(step1).toEqual({ rollout: expect.objectContaining({ step: 1, weight: 50, revision: 2, stepStartedAt: later(13) }) });
    const step2 = planRolloutCommand("x", running({ rollout: step1.rollout }), { kind: "analysis", rollout: started.id, revision: 2, analysis: pass, at: later(26) });
    expect(step2).toMatchObject({ rollout: { status: "promoted" }, promote: { hash: h("b"), from: h("a") } });
    const fail = judgeStep(policy, counts(10, 0), counts(10, 5));
    expect(planRolloutCommand("x", running(), { kind: "analysis", rollout: started.id, revision: 1, analysis: fail, at: later(13) }).rollout).toMatchObject({ status: "aborted", weight: 0 });
    const wait = judgeStep({ ...policy, minCalls: 5 }, counts(10, 0), counts(1, 0));
    expect(planRolloutCommand("x", running(), { kind: "analysis", rollout: started.id, revision: 1, analysis: wait, at: later(13) }).rollout).toMatchObject({ step: 0, stepStartedAt: later(13), history: expect.arrayContaining([expect.objectContaining({ action: "waited" })]) });
    const short = rolloutOnPublish(stateWith(h("a")), h("b"), { ...policy, steps: [5, 20] }, at).rollout!;
    const afterLast = planRolloutCommand("x", stateWith(h("a"), { rollout: { ...short, step: 1, weight: 20 } }), { kind: "analysis", rollout: short.id, revision: 1, analysis: pass, at: later(13) });
    expect(afterLast.promote).toEqual({ hash: h("b"), from: h("a") });
  });

  it("refuses a stale analysis and commands on a rollout that ended", () => {
    const pass = judgeStep(policy, NO_CALLS, NO_CALLS);
    expect(() => planRolloutCommand("x", running(), { kind: "analysis", rollout: started.id, revision: 0, analysis: pass, at })).toThrow(expect.objectContaining({ code: "rollout-moved" }));
    const paused = planRolloutCommand("x", running(), { kind: "pause", at, by: "ops" }).rollout;
    expect(() => planRolloutCommand("x", running({ rollout: paused }), { kind: "analysis", rollout: started.id, revision: paused.revision, analysis: pass, at })).toThrow(expect.objectContaining({ code: "rollout-moved" }));
    const aborted = planRolloutCommand("x", running(), { kind: "abort", at, by: "ops" }).rollout;
    expect(() => planRolloutCommand("x", running({ rollout: aborted }), { kind: "resume", at, by: "ops" })).toThrow(expect.objectContaining({ code: "rollout-not-active" }));
  });
});

describe("splitting calls", () => {
  const rollout = (weight: number, methods?: string[]): RunningRollout => ({ id: "r", step: 0, weight, canary: h("b"), canaryVersions: [], ...(methods ? { methods } : {}) });
  const never = () => {
    throw new Error("a named caller needs no anonymous place");
  };

  it("keeps a caller on the canary as its share grows", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (caller, a, b) => {
        const [low, high] = a < b ? [a, b] : [b, a];
        if (chooseArm(rollout(low), "x.do", caller, "m", never) === "canary") expect(chooseArm(rollout(high), "x.do", caller, "m", never)).toBe("canary");
      }),
    );
  });

  it("splits anonymous requests within two calls of the share over any run", () => {
    for (const weight of [1, 10, 50, 90]) {
      const place = createAnonymousPlaces(0.123);
      for (const n of [10, 100, 1000]) {
        const onCanary = Array.from({ length: n }, () => chooseArm(rollout(weight), "x.do", null, "m", place)).filter((arm) => arm === "canary").length;
        expect(Math.abs(onCanary - (n * weight) / 100)).toBeLessThanOrEqual(2);
      }
    }
  });

  it("spreads named callers near the share, and ramps only the listed methods", () => {
    const onCanary = Array.from({ length: 2000 }, (_, i) => callerPlace("x.do", `user-${i}`) < 0.5).filter(Boolean).length;
    expect(onCanary).toBeGreaterThan(900);
    expect(onCanary).toBeLessThan(1100);
    expect(chooseArm(rollout(100, ["a"]), "x.do", "u", "b", never)).toBe("stable");
    expect(chooseArm(rollout(100, ["a"]), "x.do", "u", undefined, never)).toBe("stable");
    expect(chooseArm(rollout(100, ["a"]), "x.do", "u", "a", never)).toBe("canary");
  });
});
