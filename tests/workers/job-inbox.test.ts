// The SourceDO's inbox in real Durable Object SQLite: coalescing, retries and a row replaced while its job ran.
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createInbox, jobKey, retryDelaySeconds } from "../../control-plane/sources/job-inbox.ts";
import type { Job } from "../../schemas/index.ts";

const ref = (sha: string): Job => ({ kind: "ref", repo: "acme/objects", ref: "refs/heads/main", sha });
const pr = (action: "opened" | "closed"): Job => ({ kind: "pull_request", repo: "acme/objects", number: 7, action, sha: "a".repeat(40), fork: false });

describe("the job inbox", () => {
  it("keeps one job per ref or pull request, the newest, in due order", async () => {
    const stub = env.SOURCES.get(env.SOURCES.idFromName(`inbox-${crypto.randomUUID()}`));
    await runInDurableObject(stub, (_, state) => {
      const inbox = createInbox(state.storage.sql);
      inbox.put(ref("1".repeat(40)), 100);
      inbox.put(pr("opened"), 100);
      inbox.put(ref("2".repeat(40)), 100);
      inbox.put(pr("closed"), 100);
      expect(inbox.size()).toBe(2);
      const first = inbox.next(100)!;
      expect(first.job).toEqual(ref("2".repeat(40)));
      inbox.retry(first, 500);
      expect(inbox.next(100)!.job).toEqual(pr("closed"));
      expect(inbox.earliest()).toBe(100);
      inbox.done(inbox.next(100)!);
      expect(inbox.next(100)).toBeUndefined();
      expect(inbox.next(500)).toMatchObject({ attempts: 1, due: 500 });
    });
  });

  it("keeps a delivery that arrived while the job of its key ran", async () => {
    const stub = env.SOURCES.get(env.SOURCES.idFromName(`inbox-${crypto.randomUUID()}`));
    await runInDurableObject(stub, (_, state) => {
      const inbox = createInbox(state.storage.sql);
      inbox.put(ref("1".repeat(40)), 0);
      const running = inbox.next(0)!;
      inbox.put(ref("3".repeat(40)), 0);
      inbox.done(running);
      expect(inbox.next(0)?.job).toEqual(ref("3".repeat(40)));
    });
  });

  it("names keys and backs off by doubling up to five minutes", () => {
    expect(jobKey({ kind: "approve_preview", repo: "a/b", number: 3, approver: "ada" })).toBe("approve:3:ada");
    expect([1, 2, 3, 10].map((attempts) => retryDelaySeconds(attempts, 5))).toEqual([5, 10, 20, 300]);
  });
});
