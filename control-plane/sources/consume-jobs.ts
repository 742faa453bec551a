// The Queue consumer's service: each job goes to its repository's SourceDO; retryable failures come back later
// with exponential backoff, and after the last retry the dead-letter consumer reports that objects.do gave up.
import { JobSchema, type Job } from "../../schemas/index.ts";
import type { JobOutcome } from "./source-object.ts";

export interface JobMessage {
  body: unknown;
  attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

export interface JobRunner {
  run(job: Job): Promise<JobOutcome>;
  giveUp(job: Job, attempts: number): Promise<void>;
}

export interface ConsumeOptions {
  runner(repo: string): JobRunner;
  /** The first retry's delay; each later one doubles, up to five minutes. */
  retryBaseSeconds: number;
  /** True for the dead-letter queue: the messages there have used up their retries. */
  deadLetters: boolean;
}

export const retryDelay = (attempts: number, base: number) => Math.min(300, base * 2 ** Math.max(0, attempts - 1));

/** Handles one batch: repositories run side by side, the jobs of one repository in order (inside its SourceDO). */
export async function consumeJobs(messages: readonly JobMessage[], { runner, retryBaseSeconds, deadLetters }: ConsumeOptions): Promise<void> {
  await Promise.all(
    messages.map(async (message) => {
      const parsed = JobSchema.safeParse(message.body);
      if (!parsed.success) {
        console.error("dropping a malformed job", JSON.stringify(message.body).slice(0, 500));
        message.ack();
        return;
      }
      const job = parsed.data;
      try {
        if (deadLetters) {
          await runner(job.repo).giveUp(job, message.attempts);
          message.ack();
          return;
        }
        const outcome = await runner(job.repo).run(job);
        if (outcome.status === "retry") message.retry({ delaySeconds: retryDelay(message.attempts, retryBaseSeconds) });
        else message.ack();
      } catch (error) {
        console.warn(`job for ${job.repo} will be retried`, error);
        message.retry({ delaySeconds: retryDelay(message.attempts, retryBaseSeconds) });
      }
    }),
  );
}

/** The reconciler: asks every connected repository which refs differ from what it published, and enqueues those. */
export async function reconcileAll(names: readonly string[], jobsOf: (name: string) => Promise<Job[]>, enqueue: (jobs: Job[]) => Promise<void>): Promise<number> {
  let total = 0;
  for (const name of names) {
    try {
      const jobs = await jobsOf(name);
      await enqueue(jobs);
      total += jobs.length;
    } catch (error) {
      console.warn(`reconciling ${name} failed; the next run tries again`, error);
    }
  }
  return total;
}
