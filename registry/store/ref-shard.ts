// RefShardDO: the refs of every object whose id falls in one shard, in Durable Object SQLite; every publication is
// one synchronous transaction. Shards, not one Durable Object per id: each resident Durable Object costs about
// 150 KB in local workerd, which keeps it after it sleeps (BENCHMARKS.md, issue 15).
import { DurableObject } from "cloudflare:workers";
import type { Provenance, Quarantine, RefState, Retirement, Rollout, Tombstone } from "../../schemas/index.ts";
import { failed, ObjectsError, type Result } from "../../core/index.ts";
import { planPublish, type PublishPlan } from "../plan-publish.ts";
import type { PublishCommand, PublishOutcome } from "../ports.ts";
import { planRolloutCommand, promotionCommand, type RolloutCommand } from "../rollout-plan.ts";

/**
 * What a shard answers: a result, or `unknown` when the id has no state here and was never checked against the
 * per-id layout it replaced (the adapter then imports that state, see do-ref-store.ts, and asks again).
 */
export type ShardReply<T> = Result<T> | { unknown: true };

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS refs (object TEXT NOT NULL, name TEXT NOT NULL, hash TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (object, name));
  CREATE TABLE IF NOT EXISTS versions (object TEXT NOT NULL, version TEXT NOT NULL, hash TEXT NOT NULL, published_at TEXT NOT NULL, PRIMARY KEY (object, version));
  CREATE TABLE IF NOT EXISTS publications (
    object TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL, version TEXT, refs TEXT NOT NULL, provenance TEXT NOT NULL, PRIMARY KEY (object, seq));
  CREATE TABLE IF NOT EXISTS commits (object TEXT NOT NULL, sha TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (object, sha));
  CREATE TABLE IF NOT EXISTS gone (object TEXT NOT NULL, name TEXT NOT NULL, tombstone TEXT NOT NULL, PRIMARY KEY (object, name));
  CREATE TABLE IF NOT EXISTS quarantined (object TEXT NOT NULL, hash TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (object, hash));
  CREATE TABLE IF NOT EXISTS retired (object TEXT NOT NULL, hash TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (object, hash));
  CREATE TABLE IF NOT EXISTS rollouts (object TEXT PRIMARY KEY, record TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS settled (object TEXT PRIMARY KEY);
`;
export const TABLES = ["refs", "versions", "publications", "commits", "gone", "quarantined"] as const;
/** Tables that came after the per-id layout: never imported from it, removed with the object all the same. */
const LATER_TABLES = ["retired", "rollouts"] as const;

/** Every row of one object under the per-id layout, table by table, as its SQLite held them. */
export type LegacyRows = Record<(typeof TABLES)[number], Array<Record<string, SqlStorageValue>>>;

export class RefShardDO extends DurableObject {
  private readonly sql = this.ctx.storage.sql;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql.exec(SCHEMA);
  }

  /** Whether the id's state is here: it published here, or its state under the per-id layout was settled. */
  private known(id: string): boolean {
    return this.sql.exec("SELECT 1 FROM settled WHERE object = ? UNION ALL SELECT 1 FROM publications WHERE object = ? LIMIT 1", id, id).toArray().length > 0;
  }

  private state(id: string): RefState {
    const pairs = <R extends Record<string, SqlStorageValue>>(query: string) => this.sql.exec<R>(query, id).toArray();
    const refs = Object.fromEntries(pairs<{ name: string; hash: string }>("SELECT name, hash FROM refs WHERE object = ?").map((r) => [r.name, r.hash]));
    const versions = Object.fromEntries(pairs<{ version: string; hash: string }>("SELECT version, hash FROM versions WHERE object = ?").map((r) => [r.version, r.hash]));
    const commits = Object.fromEntries(pairs<{ sha: string; hash: string }>("SELECT sha, hash FROM commits WHERE object = ?").map((r) => [r.sha, r.hash]));
    const gone = Object.fromEntries(pairs<{ name: string; tombstone: string }>("SELECT name, tombstone FROM gone WHERE object = ?").map((r) => [r.name, JSON.parse(r.tombstone) as Tombstone]));
    const publications = pairs<{ seq: number; hash: string; version: string | null; refs: string; provenance: string }>(
      "SELECT seq, hash, version, refs, provenance FROM publications WHERE object = ? ORDER BY seq",
    ).map((row) => {
      // The rollout a publication started is kept in its provenance column: the table predates rollouts.
      const { rollout, ...provenance } = JSON.parse(row.provenance) as Provenance & { rollout?: string };
      return { seq: row.seq, hash: row.hash, ...(row.version === null ? {} : { version: row.version }), refs: JSON.parse(row.refs) as string[], provenance, ...(rollout ? { rollout } : {}) };
    });
    const quarantined = Object.fromEntries(pairs<{ hash: string; record: string }>("SELECT hash, record FROM quarantined WHERE object = ?").map((r) => [r.hash, JSON.parse(r.record) as Quarantine]));
    const retired = Object.fromEntries(pairs<{ hash: string; record: string }>("SELECT hash, record FROM retired WHERE object = ?").map((r) => [r.hash, JSON.parse(r.record) as Retirement]));
    const rollout = pairs<{ record: string }>("SELECT record FROM rollouts WHERE object = ?")[0];
    return {
      refs,
      versions,
      commits,
      gone,
      publications,
      ...(Object.keys(quarantined).length ? { quarantined } : {}),
      ...(Object.keys(retired).length ? { retired } : {}),
      ...(rollout ? { rollout: JSON.parse(rollout.record) as Rollout } : {}),
    };
  }

  /** Runs `work` in one transaction when the id's state is settled here; `unknown` otherwise. */
  private settledOnly<T>(id: string, work: () => T): ShardReply<T> {
    try {
      return this.ctx.storage.transactionSync(() => (this.known(id) ? { ok: true as const, value: work() } : { unknown: true as const }));
    } catch (error) {
      if (error instanceof ObjectsError) return failed(error);
      throw error;
    }
  }

  /** The id's refs; `known` false: nothing here, and the per-id layout was not checked yet. */
  read(id: string): { state: RefState; known: boolean } {
    return { state: this.state(id), known: this.known(id) };
  }

  /** Takes the id's rows from the per-id layout (null: it had none), once: a settled id is never imported again. */
  settle(id: string, legacy: LegacyRows | null): void {
    this.ctx.storage.transactionSync(() => {
      if (this.known(id)) return;
      this.sql.exec("INSERT INTO settled (object) VALUES (?)", id);
      for (const table of TABLES) {
        for (const row of legacy?.[table] ?? []) {
          const columns = Object.keys(row);
          this.sql.exec(`INSERT INTO ${table} (object, ${columns.join(", ")}) VALUES (?${", ?".repeat(columns.length)})`, id, ...columns.map((c) => row[c]));
        }
      }
    });
  }

  quarantine(id: string, hash: string, record: Quarantine): ShardReply<void> {
    return this.settledOnly(id, () => void this.sql.exec("INSERT OR REPLACE INTO quarantined (object, hash, record) VALUES (?, ?, ?)", id, hash, JSON.stringify(record)));
  }

  release(id: string, hash: string): ShardReply<boolean> {
    return this.settledOnly(id, () => this.sql.exec("DELETE FROM quarantined WHERE object = ? AND hash = ?", id, hash).rowsWritten > 0);
  }

  retire(id: string, hash: string, record: Retirement | null): ShardReply<boolean> {
    return this.settledOnly(id, () =>
      record === null
        ? this.sql.exec("DELETE FROM retired WHERE object = ? AND hash = ?", id, hash).rowsWritten > 0
        : this.sql.exec("INSERT OR REPLACE INTO retired (object, hash, record) VALUES (?, ?, ?)", id, hash, JSON.stringify(record)).rowsWritten > 0,
    );
  }

  /** Reads, decides and writes in one synchronous transaction: no other request interleaves (single writer + CAS). */
  publish(id: string, command: PublishCommand): ShardReply<PublishOutcome> {
    return this.settledOnly(id, () => this.apply(id, planPublish(this.state(id), command), command.provenance.at));
  }

  /** A step's analysis or a person's command on the running rollout; a promotion moves `latest` in the same transaction. */
  rollout(id: string, command: RolloutCommand): ShardReply<Rollout> {
    return this.settledOnly(id, () => {
      const state = this.state(id);
      const plan = planRolloutCommand(id, state, command);
      this.saveRollout(id, plan.rollout);
      const promotion = promotionCommand(plan, command);
      if (promotion) this.apply(id, planPublish({ ...state, rollout: plan.rollout }, promotion), command.at);
      return plan.rollout;
    });
  }

  private saveRollout(id: string, rollout: Rollout): void {
    this.sql.exec("INSERT INTO rollouts (object, record) VALUES (?, ?) ON CONFLICT(object) DO UPDATE SET record = excluded.record", id, JSON.stringify(rollout));
  }

  /** Writes what a publish plan decided (inside the caller's transaction). */
  private apply(id: string, plan: PublishPlan, at: string): PublishOutcome {
    if (plan.rollout) this.saveRollout(id, plan.rollout);
    for (const [name, hash] of Object.entries(plan.setRefs)) {
      this.sql.exec("INSERT INTO refs (object, name, hash, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(object, name) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at", id, name, hash, at);
      this.sql.exec("DELETE FROM gone WHERE object = ? AND name = ?", id, name);
    }
    if (plan.addCommit) this.sql.exec("INSERT INTO commits (object, sha, hash) VALUES (?, ?, ?)", id, plan.addCommit.sha, plan.addCommit.hash);
    if (plan.addVersion) this.sql.exec("INSERT INTO versions (object, version, hash, published_at) VALUES (?, ?, ?, ?)", id, plan.addVersion.version, plan.addVersion.hash, at);
    if (plan.publication) {
      const { hash, version, refs, provenance, rollout } = plan.publication;
      // Numbered per object, as the history shows them.
      const seq = this.sql.exec<{ n: number }>("SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM publications WHERE object = ?", id).one().n;
      this.sql.exec("INSERT INTO publications (object, seq, hash, version, refs, provenance) VALUES (?, ?, ?, ?, ?, ?)", id, seq, hash, version ?? null, JSON.stringify(refs), JSON.stringify(rollout ? { ...provenance, rollout } : provenance));
    }
    return plan.outcome;
  }

  removeRef(id: string, name: string, tombstone?: Tombstone): ShardReply<boolean> {
    return this.settledOnly(id, () => {
      const existed = this.sql.exec("DELETE FROM refs WHERE object = ? AND name = ?", id, name).rowsWritten > 0;
      // Without a latest there is no stable version to split calls with: a running rollout goes too.
      if (existed && name === "latest") this.sql.exec("DELETE FROM rollouts WHERE object = ?", id);
      if (existed && tombstone) this.sql.exec("INSERT OR REPLACE INTO gone (object, name, tombstone) VALUES (?, ?, ?)", id, name, JSON.stringify(tombstone));
      return existed;
    });
  }

  /** Deletes every ref of the object; it stays settled, so the per-id layout is never read for it again. */
  remove(id: string): ShardReply<boolean> {
    return this.settledOnly(id, () => {
      const existed = this.sql.exec("SELECT 1 FROM publications WHERE object = ? LIMIT 1", id).toArray().length > 0;
      for (const table of [...TABLES, ...LATER_TABLES]) this.sql.exec(`DELETE FROM ${table} WHERE object = ?`, id);
      this.sql.exec("INSERT OR IGNORE INTO settled (object) VALUES (?)", id);
      return existed;
    });
  }
}
