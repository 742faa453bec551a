// What a connected repository remembers, in its SourceDO's SQLite: per ref the last sha and the reports not yet sent,
// the sections each commit's check run is made of, what GitHub told the reporter (ids), fork approvals.
import type { ReportSection } from "../github/commit-report.ts";
import type { GitHubIds } from "../github/reporter.ts";
import { sqlBranchObjects } from "../git/repo-storage.ts";
import type { ReportAction } from "./report-steps.ts";
import { pullRequestOf } from "../../schemas/index.ts";
import type { SourceState } from "./run-job.ts";

export const SOURCE_STATE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS published (key TEXT PRIMARY KEY, sha TEXT, pending TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS approvals (number INTEGER PRIMARY KEY, sha TEXT NOT NULL, by TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS sections (sha TEXT NOT NULL, ref TEXT NOT NULL, seq INTEGER NOT NULL, section TEXT NOT NULL, PRIMARY KEY (sha, ref));
  CREATE TABLE IF NOT EXISTS github_ids (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

/** Commits whose sections are kept (their check runs and report pages), newest first. */
const KEEP_COMMITS = 2000;

export const SOURCE_STATE_TABLES = ["published", "approvals", "sections", "github_ids", "branch_objects"];

export function sqlSourceState(sql: SqlStorage): SourceState & { ids: GitHubIds; handledBranches(): Promise<string[]>; livePreviews(): Promise<Array<{ number: number; sha: string }>> } {
  sql.exec(SOURCE_STATE_SCHEMA);
  return {
    last: async (key) => {
      const row = sql.exec<{ sha: string | null; pending: string }>("SELECT sha, pending FROM published WHERE key = ?", key).toArray()[0];
      return row ? { sha: row.sha, pending: JSON.parse(row.pending) as ReportAction[] } : undefined;
    },
    record: async (key, sha, pending) => void sql.exec("INSERT OR REPLACE INTO published (key, sha, pending) VALUES (?, ?, ?)", key, sha, JSON.stringify(pending)),
    /** The branches whose last handled value is a commit (not a deletion). */
    handledBranches: async () => sql.exec<{ key: string }>("SELECT key FROM published WHERE key LIKE 'refs/heads/%' AND sha IS NOT NULL").toArray().map((row) => row.key),
    /** The pull requests whose preview was last published, not deleted. */
    livePreviews: async () =>
      sql
        .exec<{ key: string; sha: string }>("SELECT key, sha FROM published WHERE sha IS NOT NULL")
        .toArray()
        .flatMap((row) => {
          const number = pullRequestOf(row.key);
          return number === null ? [] : [{ number, sha: row.sha }];
        }),
    sections: {
      async put(sha, section) {
        // A ref reporting on a commit again replaces its section and keeps its place.
        const [{ seq }] = sql.exec<{ seq: number }>("SELECT COALESCE((SELECT seq FROM sections WHERE sha = ? AND ref = ?), (SELECT COALESCE(MAX(seq), 0) + 1 FROM sections)) AS seq", sha, section.ref).toArray() as [{ seq: number }];
        sql.exec("INSERT OR REPLACE INTO sections (sha, ref, seq, section) VALUES (?, ?, ?, ?)", sha, section.ref, seq, JSON.stringify(section));
        sql.exec("DELETE FROM sections WHERE sha NOT IN (SELECT sha FROM sections GROUP BY sha ORDER BY MAX(seq) DESC LIMIT ?)", KEEP_COMMITS);
      },
      of: async (sha) => sql.exec<{ section: string }>("SELECT section FROM sections WHERE sha = ? ORDER BY seq", sha).toArray().map((row) => JSON.parse(row.section) as ReportSection),
    },
    approvals: {
      get: async (number) => sql.exec<{ sha: string; by: string }>("SELECT sha, by FROM approvals WHERE number = ?", number).toArray()[0],
      set: async (number, sha, by) => void sql.exec("INSERT OR REPLACE INTO approvals (number, sha, by) VALUES (?, ?, ?)", number, sha, by),
    },
    objects: sqlBranchObjects(sql),
    ids: {
      get: async (key) => sql.exec<{ value: number }>("SELECT value FROM github_ids WHERE key = ?", key).toArray()[0]?.value,
      set: async (key, value) => void sql.exec("INSERT OR REPLACE INTO github_ids (key, value) VALUES (?, ?)", key, value),
    },
  };
}
