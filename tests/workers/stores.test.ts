import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { blobStoreContract } from "../contract/blob-store.contract.ts";
import { refStoreContract } from "../contract/ref-store.contract.ts";
import { doObjectIndex, doRefStore, r2BlobStore, REF_SHARDS, shardOf } from "../../registry/store/index.ts";

const refStore = () => doRefStore({ shards: env.REF_SHARDS, legacy: env.REFS, index: env.INDEX });

blobStoreContract("R2 (workerd)", () => r2BlobStore(env.SNAPSHOTS));
refStoreContract("RefShardDO (workerd SQLite)", refStore);

// The per-id layout of earlier versions, written as those versions wrote it (their schema, their statements).
const LEGACY_SCHEMA = `
  CREATE TABLE IF NOT EXISTS refs (name TEXT PRIMARY KEY, hash TEXT NOT NULL, updated_at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS versions (version TEXT PRIMARY KEY, hash TEXT NOT NULL, published_at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS publications (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, hash TEXT NOT NULL, version TEXT, refs TEXT NOT NULL, provenance TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS commits (sha TEXT PRIMARY KEY, hash TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS gone (name TEXT PRIMARY KEY, tombstone TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS quarantined (hash TEXT PRIMARY KEY, record TEXT NOT NULL);
`;
const provenance = { source: "api" as const, at: "2026-11-01T00:00:00.000Z" };

async function writeLegacy(id: string): Promise<void> {
  await runInDurableObject(env.REFS.get(env.REFS.idFromName(id)), (_, state) => {
    const sql = state.storage.sql;
    sql.exec(LEGACY_SCHEMA);
    sql.exec("INSERT INTO publications (hash, version, refs, provenance) VALUES (?, ?, ?, ?)", "a".repeat(64), "1.0.0", JSON.stringify(["latest"]), JSON.stringify(provenance));
    sql.exec("INSERT INTO publications (hash, version, refs, provenance) VALUES (?, ?, ?, ?)", "b".repeat(64), null, JSON.stringify(["latest"]), JSON.stringify(provenance));
    sql.exec("INSERT INTO refs (name, hash, updated_at) VALUES ('latest', ?, ?)", "b".repeat(64), provenance.at);
    sql.exec("INSERT INTO versions (version, hash, published_at) VALUES ('1.0.0', ?, ?)", "a".repeat(64), provenance.at);
    sql.exec("INSERT INTO gone (name, tombstone) VALUES ('branch/x', ?)", JSON.stringify({ at: provenance.at, lastCommit: "c".repeat(40) }));
  });
}

const legacyRows = (id: string) =>
  runInDurableObject(env.REFS.get(env.REFS.idFromName(id)), (_, state) => state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'publications'").toArray().length);

describe("refs kept by an earlier version, one Durable Object per id", () => {
  it("move into the id's shard on first use, numbered as before, and are cleared where they were", async () => {
    const id = `legacy-${crypto.randomUUID().slice(0, 8)}.do`;
    await writeLegacy(id);
    await doObjectIndex(env.INDEX).put({ id, latest: "b".repeat(64), updatedAt: provenance.at, source: "api" });
    const state = await refStore().read(id);
    expect(state.refs).toEqual({ latest: "b".repeat(64) });
    expect(state.versions).toEqual({ "1.0.0": "a".repeat(64) });
    expect(state.gone["branch/x"]).toMatchObject({ lastCommit: "c".repeat(40) });
    expect(state.publications.map((p) => [p.seq, p.hash.slice(0, 1), p.version ?? null])).toEqual([[1, "a", "1.0.0"], [2, "b", null]]);
    expect(await legacyRows(id)).toBe(0);
    // The next publication follows on from the moved history, and the moved version stays immutable.
    await refStore().publish(id, { hash: "d".repeat(64), refs: ["latest"], provenance });
    expect((await refStore().read(id)).publications.at(-1)).toMatchObject({ seq: 3, hash: "d".repeat(64) });
    await expect(refStore().publish(id, { hash: "e".repeat(64), version: "1.0.0", refs: ["latest"], provenance })).rejects.toMatchObject({ code: "version-immutable" });
  });

  it("are not looked for when the index does not list the id, until the index is rebuilt (adopt)", async () => {
    const id = `unlisted-${crypto.randomUUID().slice(0, 8)}.do`;
    await writeLegacy(id);
    expect((await refStore().read(id)).publications).toEqual([]);
    expect(await legacyRows(id)).toBe(1);
    await refStore().adopt!(id);
    expect((await refStore().read(id)).refs).toEqual({ latest: "b".repeat(64) });
    expect(await legacyRows(id)).toBe(0);
  });

  it("never come back after the object is removed", async () => {
    const id = `removed-${crypto.randomUUID().slice(0, 8)}.do`;
    await writeLegacy(id);
    await doObjectIndex(env.INDEX).put({ id, latest: "b".repeat(64), updatedAt: provenance.at, source: "api" });
    expect(await refStore().remove(id)).toBe(true);
    await writeLegacy(id);
    expect((await refStore().read(id)).publications).toEqual([]);
  });
});

describe("the shard of an id", () => {
  it("is stable and spreads ids over every shard", () => {
    expect(shardOf("crm.acme.com")).toBe(shardOf("crm.acme.com"));
    const used = new Set(Array.from({ length: 20 * REF_SHARDS }, (_, i) => shardOf(`o${i}.do`)));
    expect(used.size).toBe(REF_SHARDS);
  });
});
