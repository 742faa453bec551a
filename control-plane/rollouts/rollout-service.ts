// The rollout service: a step's analysis when it is due (counts from the runtime, the verdict from the registry's
// judge, the step applied with compare-and-swap), people's commands, and what `GET /<id>/rollout` shows.
import { judgeStep, objectNotFound, type ArmCounts, type Registry } from "../../registry/index.ts";
import { analysisDueAt, isActive, type Rollout, type RolloutSeriesPoint, type RolloutStatusResponse } from "../../schemas/index.ts";
import { ObjectsError } from "../../core/index.ts";

/** How late a call reaches its object's counts: the Worker sends them in 2 s batches after the response. */
export const COUNTS_DELAY_MS = 3000;

export type RolloutAction = "pause" | "resume" | "promote" | "abort";

export interface RolloutDeps {
  registry: Pick<Registry, "state" | "rollout">;
  /** Both sides' calls in one step of a rollout (the production object's counts). */
  stepCounts(id: string, rollout: string, step: number): Promise<{ stable: ArmCounts; canary: ArmCounts }>;
  /** A rollout's calls by 10 s slot and side. */
  series(id: string, rollout: string): Promise<RolloutSeriesPoint[]>;
  /** After every change: the runtime forgets its cached refs (a promotion also moves schedules to the new `latest`). */
  changed(id: string, rollout: Rollout): Promise<void>;
  /** Asks for the next analysis at the rollout's due time (the object's rollout timer). */
  watch(id: string): Promise<void>;
  /** Tells the repository that published the canary (its check run), when one did; a failure is logged, not thrown. */
  report?(id: string, rollout: Rollout): Promise<void>;
  now(): number;
}

/** When the timer of a rollout fires next (ms), or null: the step's interval plus the counts' delay. */
export function nextAnalysisAt(rollout: Rollout | undefined): number | null {
  const due = isActive(rollout) ? analysisDueAt(rollout) : null;
  return due === null ? null : due + COUNTS_DELAY_MS;
}

export function createRolloutService(deps: RolloutDeps) {
  const { registry } = deps;

  /** After every change: the runtime forgets its refs, then the repository hears of it (never in the way of either). */
  async function changed(id: string, rollout: Rollout): Promise<void> {
    await deps.changed(id, rollout);
    await deps.report?.(id, rollout).catch((error: unknown) => console.warn(`rollout of ${id}: the report was not sent: ${(error as Error).message}`));
  }

  return {
    /**
     * Analyses the running step when it is due at `now`: a pass advances (or promotes), a fail aborts, too few calls
     * runs it again. A canary quarantined meanwhile is aborted. Answers when the next analysis is due (null: none).
     */
    async analyzeIfDue(id: string, now: number): Promise<number | null> {
      const state = await registry.state(id);
      const { rollout } = state;
      const due = nextAnalysisAt(rollout);
      if (!isActive(rollout) || due === null) return null;
      const at = new Date(now).toISOString();
      if (state.quarantined?.[rollout.canary]) {
        const ended = await registry.rollout(id, { kind: "abort", at, by: "objects.do", reason: `the new version was quarantined: ${state.quarantined[rollout.canary]!.reason}` });
        await changed(id, ended);
        return null;
      }
      if (now < due) return due;
      const counts = await deps.stepCounts(id, rollout.id, rollout.step);
      const analysis = judgeStep(rollout.policy, counts.stable, counts.canary);
      try {
        const next = await registry.rollout(id, { kind: "analysis", rollout: rollout.id, revision: rollout.revision, analysis, at });
        await changed(id, next);
        return nextAnalysisAt(next);
      } catch (error) {
        // Someone changed the rollout meanwhile (a command, a new canary): read it again at its own due time.
        if (error instanceof ObjectsError && (error.code === "rollout-moved" || error.code === "rollout-not-active")) return nextAnalysisAt((await registry.state(id)).rollout);
        throw error;
      }
    },

    /** A person's command: pause, resume, promote now, or abort (every call back to the stable version). */
    async command(id: string, action: RolloutAction, by: string, reason?: string): Promise<Rollout> {
      // An object that never published answers 404; a rollout that ended, the shard's 409.
      if ((await registry.state(id)).publications.length === 0) throw objectNotFound(id);
      const rollout = await registry.rollout(id, { kind: action, at: new Date(deps.now()).toISOString(), by, ...(reason ? { reason } : {}) });
      await changed(id, rollout);
      await deps.watch(id);
      return rollout;
    },

    async status(id: string): Promise<RolloutStatusResponse> {
      const { rollout, publications } = await registry.state(id);
      if (publications.length === 0) throw objectNotFound(id);
      const next = nextAnalysisAt(rollout);
      return { id, rollout: rollout ?? null, nextAnalysisAt: next === null ? null : new Date(next).toISOString(), series: rollout ? await deps.series(id, rollout.id) : [] };
    },
  };
}

export type RolloutService = ReturnType<typeof createRolloutService>;
