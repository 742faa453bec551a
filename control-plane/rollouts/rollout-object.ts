// RolloutDO: the timer of one object's rollouts. Its alarm runs each step's analysis when it is due; nothing else is
// kept here (the rollout itself lives with the object's refs). Only objects that ever had a rollout wake one.
import { DurableObject } from "cloudflare:workers";
import { createRolloutService, nextAnalysisAt, type RolloutDeps } from "./rollout-service.ts";

export abstract class RolloutDOBase extends DurableObject {
  protected abstract deps(): Omit<RolloutDeps, "watch">;

  private service() {
    return createRolloutService({ ...this.deps(), watch: (id) => this.watch(id) });
  }

  /** Sets the alarm to the running step's due time (or clears it): after a rollout started, changed or ended. */
  async watch(id: string): Promise<void> {
    await this.ctx.storage.put("id", id);
    const { rollout } = await this.deps().registry.state(id);
    await this.arm(nextAnalysisAt(rollout));
  }

  /** Runs the analysis as if the clock read `now` (tests pass the clock; the alarm passes the real one). */
  async analyze(id: string, now: number): Promise<number | null> {
    await this.ctx.storage.put("id", id);
    const next = await this.service().analyzeIfDue(id, now);
    await this.arm(next);
    return next;
  }

  override async alarm(): Promise<void> {
    const id = await this.ctx.storage.get<string>("id");
    // A failure throws: workerd retries the alarm with backoff, and the analysis is idempotent (revision CAS).
    if (id !== undefined) await this.analyze(id, Date.now());
  }

  private async arm(at: number | null): Promise<void> {
    if (at === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(at);
  }
}
