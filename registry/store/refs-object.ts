// RefsDO: the refs of one object in Durable Object SQLite; every publication is one synchronous transaction.
import { DurableObject } from "cloudflare:workers";
import type { Quarantine, RefState, Tombstone } from "../../schemas/index.ts";
import { failed, ObjectsError, type Result } from "../../core/index.ts";
import { planPublish } from "../plan-publish.ts";
import type { PublishCommand, PublishOutcome } from "../ports.ts";

/** Errors cross the RPC boundary as plain values; the adapter turns them back into ObjectsError. */
export type RefsReply<T> = Result<T>;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS refs (name TEXT PRIMARY KEY, hash TEXT NOT NULL, updated_at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS versions (version TEXT PRIMARY KEY, hash TEXT NOT NULL, published_at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS publications (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, hash TEXT NOT NULL, version TEXT, refs TEXT NOT NULL, provenance TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS commits (sha TEXT PRIMARY KEY, hash TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS gone (name TEXT PRIMARY KEY, tombstone TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS quarantined (hash TEXT PRIMARY KEY, record TEXT NOT NULL);
`;

export class RefsDO extends DurableObject {
  private readonly sql = this.ctx.storage.sql;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql.exec(SCHEMA);
  }

  read(): RefState {
    const refs: RefState["refs"] = {};
    for (const row of this.sql.exec<{ name: string; hash: string }>("SELECT name, hash FROM refs")) refs[row.name] = row.hash;
    const versions: RefState["versions"] = {};
    for (const row of this.sql.exec<{ version: string; hash: string }>("SELECT version, hash FROM versions")) versions[row.version] = row.hash;
    const commits: RefState["commits"] = {};
    for (const row of this.sql.exec<{ sha: string; hash: string }>("SELECT sha, hash FROM commits")) commits[row.sha] = row.hash;
    const gone: RefState["gone"] = {};
    for (const row of this.sql.exec<{ name: string; tombstone: string }>("SELECT name, tombstone FROM gone")) gone[row.name] = JSON.parse(row.tombstone) as Tombstone;
    const publications = this.sql
      .exec<{ seq: number; hash: string; version: string | null; refs: string; provenance: string }>(
        "SELECT seq, hash, version, refs, provenance FROM publications ORDER BY seq",
      )
      .toArray()
      .map((row) => ({
        seq: row.seq,
        hash: row.hash,
        ...(row.version === null ? {} : { version: row.version }),
        refs: JSON.parse(row.refs) as string[],
        provenance: JSON.parse(row.provenance),
      }));
    const quarantined: Record<string, Quarantine> = {};
    for (const row of this.sql.exec<{ hash: string; record: string }>("SELECT hash, record FROM quarantined")) quarantined[row.hash] = JSON.parse(row.record) as Quarantine;
    return { refs, versions, commits, gone, publications, ...(Object.keys(quarantined).length ? { quarantined } : {}) };
  }

  quarantine(hash: string, record: Quarantine): void {
    this.sql.exec("INSERT OR REPLACE INTO quarantined (hash, record) VALUES (?, ?)", hash, JSON.stringify(record));
  }

  release(hash: string): boolean {
    return this.sql.exec("DELETE FROM quarantined WHERE hash = ?", hash).rowsWritten > 0;
  }

  publish(command: PublishCommand): RefsReply<PublishOutcome> {
    try {
      // Read, decide and write in one synchronous transaction: no other request interleaves (single writer + CAS).
      const outcome = this.ctx.storage.transactionSync(() => {
        const plan = planPublish(this.read(), command);
        const at = command.provenance.at;
        for (const [name, hash] of Object.entries(plan.setRefs)) {
          this.sql.exec("INSERT INTO refs (name, hash, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at", name, hash, at);
          this.sql.exec("DELETE FROM gone WHERE name = ?", name);
        }
        if (plan.addCommit) this.sql.exec("INSERT INTO commits (sha, hash) VALUES (?, ?)", plan.addCommit.sha, plan.addCommit.hash);
        if (plan.addVersion) this.sql.exec("INSERT INTO versions (version, hash, published_at) VALUES (?, ?, ?)", plan.addVersion.version, plan.addVersion.hash, at);
        if (plan.publication) {
          const { hash, version, refs, provenance } = plan.publication;
          this.sql.exec("INSERT INTO publications (hash, version, refs, provenance) VALUES (?, ?, ?, ?)", hash, version ?? null, JSON.stringify(refs), JSON.stringify(provenance));
        }
        return plan.outcome;
      });
      return { ok: true, value: outcome };
    } catch (error) {
      if (error instanceof ObjectsError) return failed(error);
      throw error;
    }
  }

  removeRef(name: string, tombstone?: Tombstone): boolean {
    return this.ctx.storage.transactionSync(() => {
      const existed = this.sql.exec("DELETE FROM refs WHERE name = ?", name).rowsWritten > 0;
      if (existed && tombstone) this.sql.exec("INSERT OR REPLACE INTO gone (name, tombstone) VALUES (?, ?)", name, JSON.stringify(tombstone));
      return existed;
    });
  }

  remove(): boolean {
    const existed = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM publications").one().n > 0;
    this.ctx.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM refs");
      this.sql.exec("DELETE FROM versions");
      this.sql.exec("DELETE FROM publications");
      this.sql.exec("DELETE FROM commits");
      this.sql.exec("DELETE FROM gone");
      this.sql.exec("DELETE FROM quarantined");
    });
    return existed;
  }
}
