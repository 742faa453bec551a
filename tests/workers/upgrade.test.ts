// Nothing is lost on the move to facets: state written by the earlier layout (one Durable Object per object and
// environment, the object's tables in its own SQLite) is there the first time the object runs now, in production and
// in a preview, with its records (events, calls, usage, outbox) and its `$.gitx` history.
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createGitx } from "../../runtime/host/context/git.ts";
import type { GitRows, ObjectFiles } from "../../runtime/host/context/object-files.ts";
import { publishToRef } from "../support/publish-ref.ts";
import { api, token, unique } from "../support/worker-client.ts";

// The earlier release's schema and statements, as it wrote them.
const EARLIER_SCHEMA = `
  CREATE TABLE IF NOT EXISTS __documents (seq INTEGER PRIMARY KEY AUTOINCREMENT, collection TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, UNIQUE (collection, id));
  CREATE TABLE IF NOT EXISTS __files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, data BLOB, blob_key TEXT, updated_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS __git (path TEXT PRIMARY KEY, data BLOB NOT NULL, mtime INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS __events (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, name TEXT NOT NULL, source TEXT NOT NULL, hops INTEGER NOT NULL, handler TEXT, status TEXT NOT NULL, detail TEXT);
  CREATE TABLE IF NOT EXISTS __calls (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, method TEXT NOT NULL, ref TEXT NOT NULL, status TEXT NOT NULL, ms REAL NOT NULL, detail TEXT);
  CREATE TABLE IF NOT EXISTS __outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, text TEXT NOT NULL, at TEXT NOT NULL, status TEXT NOT NULL, detail TEXT);
  CREATE TABLE IF NOT EXISTS __usage (day TEXT NOT NULL, ref TEXT NOT NULL, hash TEXT NOT NULL, caller TEXT NOT NULL, calls INTEGER NOT NULL, failed INTEGER NOT NULL, last TEXT NOT NULL, PRIMARY KEY (day, ref, hash, caller)) WITHOUT ROWID;
`;

const objectNamed = (name: string) => env.OBJECTS.get(env.OBJECTS.idFromName(name));
const auth = { authorization: `Bearer ${token}` };
const view = async (path: string, kind: string) => (await (await api.fetch(`/${path}/${kind}`, { headers: auth })).json()) as Record<string, Array<Record<string, unknown>>>;
async function call(path: string, method: string): Promise<unknown> {
  const response = await api.fetch(`/${path}/rpc`, { method: "POST", headers: auth, body: JSON.stringify({ method, params: [] }) });
  const body = (await response.json()) as { result?: unknown };
  if (response.status !== 200) throw new Error(`${path} ${method}: ${response.status} ${JSON.stringify(body)}`);
  return body.result;
}

/** A `$.gitx` history made in memory by the same code: its `.git/` rows and its work tree, as the earlier layout stored both. */
async function gitHistory(files: Record<string, string>, message: string) {
  const rows = new Map<string, { data: Uint8Array; mtime: number }>();
  const work = new Map(Object.entries(files).map(([path, text]) => [path, new TextEncoder().encode(text)]));
  const gitRows: GitRows = {
    read: async (path) => rows.get(path) ?? null,
    write: async (path, data) => void rows.set(path, { data, mtime: 1 }),
    delete: async (path) => void rows.delete(path),
    paths: async () => [...rows.keys()],
  };
  const objectFiles: ObjectFiles = {
    readBytes: async (path) => work.get(path.replace(/^\//, ""))!,
    write: async (path, bytes) => void work.set(path.replace(/^\//, ""), bytes),
    delete: async (path) => work.delete(path.replace(/^\//, "")),
    entries: async () => [...work].map(([path, bytes]) => ({ path, size: bytes.byteLength, mtime: 1 })),
  };
  await createGitx(gitRows, objectFiles, { name: "old", email: "old@example.com" }).run("commit", [message]);
  return { rows, work };
}

async function writeEarlier(name: string, write: (sql: SqlStorage) => void | Promise<void>): Promise<void> {
  await runInDurableObject(objectNamed(name), async (_, state) => {
    state.storage.sql.exec(EARLIER_SCHEMA);
    await write(state.storage.sql);
  });
}

const definition = {
  api: {
    customers: "async () => (await $.db.Customer.list()).map((c) => c.name)",
    note: "async () => $.fsx.read('/notes.txt')",
    history: "async () => (await $.gitx.history()).map((commit) => commit.message)",
    add: "async (name) => $.db.Customer.create({ name })",
  },
};

describe("state written by the earlier layout", () => {
  it("is there the first time the object runs now, in production and in a preview, records and history included", async () => {
    const id = unique("upgraded");
    expect((await api.put(id, definition, token)).status).toBe(201);
    await publishToRef(id, definition, "preview-old");
    const { rows, work } = await gitHistory({ "notes.txt": "kept" }, "the old commit");
    await writeEarlier(`production:${id}`, (sql) => {
      sql.exec("INSERT INTO __documents (collection, id, data) VALUES (?, ?, ?)", "Customer", "c1", JSON.stringify({ id: "c1", name: "Ada" }));
      for (const [path, bytes] of work) sql.exec("INSERT INTO __files (path, size, data, blob_key, updated_at) VALUES (?, ?, ?, NULL, ?)", path, bytes.byteLength, bytes, 1);
      for (const [path, row] of rows) sql.exec("INSERT INTO __git (path, data, mtime) VALUES (?, ?, ?)", path, row.data, row.mtime);
      sql.exec("INSERT INTO __events (at, name, source, hops, handler, status, detail) VALUES (?, ?, ?, 0, NULL, 'unhandled', NULL)", "2026-12-01T00:00:00.000Z", "Old.event", id);
      sql.exec("INSERT INTO __calls (at, method, ref, status, ms, detail) VALUES (?, 'customers', 'latest', 'ok', 1, NULL)", "2026-12-01T00:00:00.000Z");
      sql.exec("INSERT INTO __usage (day, ref, hash, caller, calls, failed, last) VALUES ('2026-12-01', 'latest', ?, 'anonymous', 7, 0, '2026-12-01T00:00:00.000Z')", "a".repeat(64));
    });
    await writeEarlier(`preview-old:${id}`, (sql) => {
      sql.exec("INSERT INTO __documents (collection, id, data) VALUES (?, ?, ?)", "Customer", "p1", JSON.stringify({ id: "p1", name: "Preview Bo" }));
      sql.exec("INSERT INTO __outbox (channel, text, at, status, detail) VALUES ('email', 'kept in the outbox', ?, 'outbox', NULL)", "2026-12-01T00:00:00.000Z");
    });

    expect(await call(id, "customers")).toEqual(["Ada"]);
    expect(await call(id, "note")).toBe("kept");
    expect(await call(id, "history")).toEqual(["the old commit"]);
    expect((await view(id, "__events")).events).toEqual([expect.objectContaining({ name: "Old.event" })]);
    expect((await view(id, "__calls")).calls).toEqual([expect.objectContaining({ method: "customers" })]);
    expect((await (await api.fetch(`/${id}/__usage`, { headers: auth })).json()) as object).toMatchObject({ total: { calls: 7 } });
    expect(await call(`${id}@preview-old`, "customers")).toEqual(["Preview Bo"]);
    expect((await view(`${id}@preview-old`, "__outbox")).outbox).toEqual([expect.objectContaining({ text: "kept in the outbox" })]);
    // Production's and the preview's states stay apart, and new writes land beside the old ones.
    await call(id, "add");
    expect(await call(id, "customers")).toHaveLength(2);
    expect(await call(`${id}@preview-old`, "customers")).toEqual(["Preview Bo"]);
    // The preview's earlier object was emptied once taken over.
    await runInDurableObject(objectNamed(`preview-old:${id}`), (_, state) => {
      expect(state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__documents'").toArray()).toEqual([]);
    });
  });
});
