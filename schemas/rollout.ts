// Rollouts: `config.rollout` of a definition (the policy, declared with the code) and the record of one rollout as the
// registry keeps it (which version is the canary, its share of `@latest` calls, the steps taken and why).
import { z } from "zod";
import { durationMs } from "./preview.ts";

export const DEFAULT_ROLLOUT_STEPS = [10, 50, 100];
export const DEFAULT_ROLLOUT_INTERVAL = "5m";
export const DEFAULT_MAX_ERROR_RATE = 0.01;
export const DEFAULT_MAX_P99_MS = 500;
const MIN_INTERVAL_MS = 10_000;
const MAX_INTERVAL_MS = 86_400_000;
/** Steps a rollout keeps in its history: more than any policy has steps, so a long rollout still shows its path. */
export const ROLLOUT_HISTORY = 50;

/** `10s`, `5m`, `1h` in milliseconds, or null when the text is no such span. */
export function intervalMs(text: string): number | null {
  const seconds = /^([1-9]\d{0,4})s$/.exec(text);
  return seconds ? Number(seconds[1]) * 1000 : durationMs(text);
}

export const RolloutConfigSchema = z.strictObject({
  /** Percentages of `@latest` calls the new version takes, in order; reaching 100 (or passing the last) promotes it. */
  steps: z
    .array(z.number().int().min(1).max(100))
    .min(1)
    .max(20)
    .refine((steps) => steps.every((step, i) => i === 0 || step > steps[i - 1]!), "steps rise: each share is larger than the one before, e.g. [10, 50, 100]")
    .optional(),
  /** How long each step runs before its analysis: `10s` to `24h`. */
  interval: z
    .string()
    .refine((text) => {
      const ms = intervalMs(text);
      return ms !== null && ms >= MIN_INTERVAL_MS && ms <= MAX_INTERVAL_MS;
    }, "an interval is seconds, minutes or hours, from 10s to 24h, e.g. 30s, 5m, 1h")
    .optional(),
  /** The highest share of failed calls the new version may have (when it also fails more often than the stable one). */
  maxErrorRate: z.number().min(0).max(1).optional(),
  /** The highest p99 latency the new version may have, in ms (when it is also slower than the stable one). */
  maxP99Ms: z.number().int().min(1).max(600_000).optional(),
  /** Only these methods ramp; every other method, page and schedule stays on the stable version. */
  methods: z.array(z.string().min(1).max(256)).min(1).max(100).optional(),
  /** Calls the new version must answer in a step before it is judged; fewer, and the step runs another interval. */
  minCalls: z.number().int().min(0).max(1_000_000).optional(),
});
export type RolloutConfig = z.infer<typeof RolloutConfigSchema>;

/** A policy with every default filled in, as a rollout record keeps it. */
export const RolloutPolicySchema = z.object({
  steps: z.array(z.number().int()),
  intervalMs: z.number().int(),
  maxErrorRate: z.number(),
  maxP99Ms: z.number(),
  methods: z.array(z.string()).optional(),
  minCalls: z.number().int(),
});
export type RolloutPolicy = z.infer<typeof RolloutPolicySchema>;

/** The rollout policy a definition declares, defaults filled in; null when it declares none (or a broken one). */
export function rolloutPolicyOf(definition: { config?: Record<string, unknown> | undefined }): RolloutPolicy | null {
  const declared = definition.config?.rollout;
  if (declared === undefined) return null;
  const parsed = RolloutConfigSchema.safeParse(declared);
  if (!parsed.success) return null;
  const policy = parsed.data;
  return {
    steps: policy.steps ?? DEFAULT_ROLLOUT_STEPS,
    intervalMs: intervalMs(policy.interval ?? DEFAULT_ROLLOUT_INTERVAL)!,
    maxErrorRate: policy.maxErrorRate ?? DEFAULT_MAX_ERROR_RATE,
    maxP99Ms: policy.maxP99Ms ?? DEFAULT_MAX_P99_MS,
    ...(policy.methods ? { methods: policy.methods } : {}),
    minCalls: policy.minCalls ?? 0,
  };
}

/** One version's calls in one step, as the analysis read them. */
export const ArmStatsSchema = z.object({ calls: z.number().int(), failed: z.number().int(), errorRate: z.number(), p99Ms: z.number().nullable() });
export type ArmStats = z.infer<typeof ArmStatsSchema>;

/** What one analysis saw and decided: `pass` advances, `fail` aborts, `wait` runs the step again (too few calls). */
export const StepAnalysisSchema = z.object({ stable: ArmStatsSchema, canary: ArmStatsSchema, verdict: z.enum(["pass", "fail", "wait"]), reasons: z.array(z.string()) });
export type StepAnalysis = z.infer<typeof StepAnalysisSchema>;

export const RolloutEventSchema = z.object({
  at: z.string(),
  action: z.enum(["started", "advanced", "waited", "paused", "resumed", "promoted", "aborted", "replaced"]),
  /** The share of calls the new version took after this event. */
  weight: z.number(),
  by: z.string().optional(),
  reason: z.string().optional(),
  analysis: StepAnalysisSchema.optional(),
});
export type RolloutEvent = z.infer<typeof RolloutEventSchema>;

export const RolloutStatusSchema = z.enum(["progressing", "paused", "promoted", "aborted", "replaced"]);
export type RolloutStatus = z.infer<typeof RolloutStatusSchema>;

/** One rollout of an object: the current one, or the last one after it ended. */
export const RolloutSchema = z.object({
  /** Names this rollout (metrics are kept under it): `<canary hash prefix>-<start ms>`. */
  id: z.string(),
  /** Bumped by every change: an analysis applies only to the revision it read (no double step on a retry). */
  revision: z.number().int(),
  stable: z.string(),
  canary: z.string(),
  policy: RolloutPolicySchema,
  /** Index into `policy.steps` of the step running now. */
  step: z.number().int(),
  /** The share of `@latest` calls the canary takes now, in percent (0 once it ended). */
  weight: z.number(),
  status: RolloutStatusSchema,
  startedAt: z.string(),
  stepStartedAt: z.string(),
  endedAt: z.string().optional(),
  /** Why it ended (aborted or replaced), or who promoted it. */
  reason: z.string().optional(),
  /** Who or what started it: the publication's actor. */
  by: z.string().optional(),
  history: z.array(RolloutEventSchema),
});
export type Rollout = z.infer<typeof RolloutSchema>;

/** Whether a rollout still splits calls: progressing or paused. */
export const isActive = (rollout: Rollout | undefined): rollout is Rollout & { status: "progressing" | "paused" } => rollout !== undefined && (rollout.status === "progressing" || rollout.status === "paused");

/** When the step running now is due for its analysis, in ms since the epoch (null: paused or ended). */
export const analysisDueAt = (rollout: Rollout): number | null => (rollout.status === "progressing" ? Date.parse(rollout.stepStartedAt) + rollout.policy.intervalMs : null);
