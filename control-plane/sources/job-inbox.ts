// The jobs a connected repository still has to run, in its own SQLite: one per ref or pull request (a newer delivery
// replaces one still waiting: jobs read the remote's current state, so only the latest matters), each with how
// often it was tried and when it is due. The SourceDO's alarm works through them one at a time.
import { JobSchema, type Job } from "../../schemas/index.ts";

/** Tries of one job before objects.do gives up and says so on the commit. */
export const MAX_ATTEMPTS = 6;

export const INBOX_SCHEMA = `
  CREATE TABLE IF NOT EXISTS inbox (key TEXT PRIMARY KEY, seq INTEGER NOT NULL, job TEXT NOT NULL, attempts INTEGER NOT NULL, due INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS inbox_counts (name TEXT PRIMARY KEY, n INTEGER NOT NULL);
`;

/** What the inbox has done since the repository was first connected: jobs taken, finished (or given up), waiting. */
export interface InboxCounts {
  accepted: number;
  finished: number;
  waiting: number;
}

export interface InboxRow {
  key: string;
  /** Which delivery of the key this is: a row replaced while its job ran is not the one that finished. */
  seq: number;
  job: Job;
  attempts: number;
  due: number;
}

/** What coalesces: one job per ref, per pull request, per approval of a pull request by one person. */
export function jobKey(job: Job): string {
  if (job.kind === "ref") return `ref:${job.ref}`;
  if (job.kind === "pull_request") return `pr:${job.number}`;
  return `approve:${job.number}:${job.approver}`;
}

/** The delay before try `attempts + 1`: doubling from `baseSeconds`, at most five minutes. */
export const retryDelaySeconds = (attempts: number, baseSeconds: number) => Math.min(300, baseSeconds * 2 ** Math.max(0, attempts - 1));

/** The inbox over a Durable Object's SQLite. */
export function createInbox(sql: SqlStorage) {
  sql.exec(INBOX_SCHEMA);
  const rows = (query: string, ...args: unknown[]) =>
    sql.exec<{ key: string; seq: number; job: string; attempts: number; due: number }>(query, ...args).toArray().map((row) => ({ ...row, job: JobSchema.parse(JSON.parse(row.job)) }));
  const count = (name: "accepted" | "finished") => sql.exec("INSERT INTO inbox_counts (name, n) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET n = n + 1", name);
  return {
    /** Takes a job (replacing a waiting one of the same key), due at once. */
    put(job: Job, now: number): void {
      count("accepted");
      const [{ seq }] = sql.exec<{ seq: number }>("SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM inbox").toArray() as [{ seq: number }];
      sql.exec("INSERT OR REPLACE INTO inbox (key, seq, job, attempts, due) VALUES (?, ?, ?, 0, ?)", jobKey(job), seq, JSON.stringify(job), now);
    },
    /** The job due first, if one is due by `now`. */
    next: (now: number): InboxRow | undefined => rows("SELECT * FROM inbox WHERE due <= ? ORDER BY due, seq LIMIT 1", now)[0],
    /** When the next job is due, or null with nothing waiting. */
    earliest: (): number | null => sql.exec<{ due: number | null }>("SELECT MIN(due) AS due FROM inbox").one().due,
    /** The job ran (or was given up): forgotten, unless a newer delivery of its key arrived meanwhile. */
    done(row: InboxRow): void {
      count("finished");
      sql.exec("DELETE FROM inbox WHERE key = ? AND seq = ?", row.key, row.seq);
    },
    /** The job failed and is tried again at `due`. */
    retry: (row: InboxRow, due: number): void => void sql.exec("UPDATE inbox SET attempts = attempts + 1, due = ? WHERE key = ? AND seq = ?", due, row.key, row.seq),
    counts(): InboxCounts {
      const named = Object.fromEntries(sql.exec<{ name: string; n: number }>("SELECT name, n FROM inbox_counts").toArray().map((row) => [row.name, row.n]));
      return { accepted: named.accepted ?? 0, finished: named.finished ?? 0, waiting: this.size() };
    },
    size: (): number => sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM inbox").one().n,
    clear: (): void => void sql.exec("DELETE FROM inbox"),
  };
}

export type Inbox = ReturnType<typeof createInbox>;
