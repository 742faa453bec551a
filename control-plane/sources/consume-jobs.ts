// The Queue consumer's service: a durable hand-off. Each job goes into its repository's SourceDO inbox (which runs
// and retries it on its own alarm), so no repository's slow calls hold a batch; only a hand-off that fails comes back
// with backoff, and after the queue's last retry the dead-letter consumer says so on the commit.
import { JobSchema, type Job } from "../../schemas/index.ts";
import { retryDelaySeconds } from "./job-inbox.ts";

export interface JobMessage {
  body: unknown;
  attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

export interface JobRunner {
  accept(job: Job): Promise<void>;
  giveUp(job: Job, attempts: number, reason?: string): Promise<void>;
}

export interface ConsumeOptions {
  runner(repo: string): JobRunner;
  /** The first retry's delay; each later one doubles, up to five minutes. */
  retryBaseSeconds: number;
  /** True for the dead-letter queue: the messages there have used up their retries. */
  deadLetters: boolean;
}

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
          await runner(job.repo).giveUp(job, message.attempts, "its repository's Durable Object could not take the job");
          message.ack();
          return;
        }
        await runner(job.repo).accept(job);
        message.ack();
      } catch (error) {
        console.warn(`the job for ${job.repo} could not be handed over; the queue tries again`, error);
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts, retryBaseSeconds) });
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
