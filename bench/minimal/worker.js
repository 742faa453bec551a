// What a user writes instead of objects.do: a minimal Worker and Durable Object, served in a process of its own
// (`npm run bench` starts it beside objects.do). The same `POST /<id>/rpc {method, params}` contract, the same
// SQLite work as `$.db` for one read and one update, so a definition's call is measured against this.
import { DurableObject } from "cloudflare:workers";

export class Minimal extends DurableObject {
  ready = false;

  table() {
    if (!this.ready) this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS docs (seq INTEGER PRIMARY KEY AUTOINCREMENT, collection TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, UNIQUE (collection, id))");
    this.ready = true;
    return this.ctx.storage.sql;
  }

  hello(name) {
    return `Hello ${name}!`;
  }

  read() {
    const row = this.table().exec("SELECT id, data FROM docs WHERE collection = ? AND id = ?", "Counter", "n").toArray()[0];
    return row ? JSON.parse(row.data) : null;
  }

  write(count) {
    const sql = this.table();
    const row = sql.exec("SELECT id, data FROM docs WHERE collection = ? AND id = ?", "Counter", "n").toArray()[0];
    const document = { ...(row ? JSON.parse(row.data) : {}), count, id: "n" };
    if (row) sql.exec("UPDATE docs SET data = ? WHERE collection = ? AND id = ?", JSON.stringify(document), "Counter", "n");
    else sql.exec("INSERT INTO docs (collection, id, data) VALUES (?, ?, ?)", "Counter", "n", JSON.stringify(document));
    return document;
  }
}

const METHODS = new Set(["hello", "read", "write"]);

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    // What the bench's server harness waits for (tests/support/server.ts).
    if (url.pathname === "/_/health") return new Response("ok");
    const match = /^\/([^/]+)\/rpc$/.exec(url.pathname);
    if (!match || request.method !== "POST") return new Response("not found", { status: 404 });
    const { method, params = [] } = await request.json();
    if (!METHODS.has(method)) return Response.json({ error: "no such method" }, { status: 404 });
    const object = env.MINIMAL.get(env.MINIMAL.idFromName(match[1]));
    return Response.json({ result: await object[method](...params) });
  },
};
