// The Worker under benchmark: objects.do unchanged, plus the baseline a definition is measured against —
// the same method hand-written in a static Durable Object, reached the same way (Worker → DO over RPC).
import { DurableObject } from "cloudflare:workers";
import { SANDBOX_COMPATIBILITY_DATE, prepareVersion, sandboxOf, sandboxOptions, type PreparedVersion } from "../runtime/executor/loader.ts";
import { settleCall } from "../runtime/executor/invoke.ts";
import { DEFAULT_LIMITS } from "../runtime/shared/limits.ts";
import type { Snapshot } from "../registry/index.ts";
import { unwrap } from "../core/index.ts";
import worker, { ConnectionsDO, HostnamesDO, LimiterDO, ObjectDO, ObjectIndexDO, PreviewsDO, RefsDO, RefShardDO, RepoDO, RolloutDO, SourceDO } from "../worker.ts";

export { ConnectionsDO, HostnamesDO, LimiterDO, ObjectDO, ObjectIndexDO, PreviewsDO, RefsDO, RefShardDO, RepoDO, RolloutDO, SourceDO };

export class StaticGreeterDO extends DurableObject {
  // The same table and statements as `$.db` (runtime/host/context/documents.ts), so both sides do the same storage work.
  private readonly sql = this.ctx.storage.sql;
  private ready = false;

  private table() {
    if (!this.ready) this.sql.exec("CREATE TABLE IF NOT EXISTS docs (seq INTEGER PRIMARY KEY AUTOINCREMENT, collection TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, UNIQUE (collection, id))");
    this.ready = true;
    return this.sql;
  }

  hello(name: string): string {
    return `Hello ${name}!`;
  }

  /** One document read, as `$.db.Counter.get("n")`. */
  read(): unknown {
    const row = this.table().exec<{ data: string }>("SELECT id, data FROM docs WHERE collection = ? AND id = ?", "Counter", "n").toArray()[0];
    return row ? JSON.parse(row.data) : null;
  }

  /** One document write of an existing document, as `$.db.Counter.update("n", {...})`: read, merge, write. */
  write(count: number): unknown {
    const sql = this.table();
    const row = sql.exec<{ data: string }>("SELECT id, data FROM docs WHERE collection = ? AND id = ?", "Counter", "n").toArray()[0];
    const document = { ...(row ? (JSON.parse(row.data) as object) : {}), count, id: "n" };
    if (row) sql.exec("UPDATE docs SET data = ? WHERE collection = ? AND id = ?", JSON.stringify(document), "Counter", "n");
    else sql.exec("INSERT INTO docs (collection, id, data) VALUES (?, ?, ?)", "Counter", "n", JSON.stringify(document));
    return document;
  }

  /** The floor of a call with facets: this Durable Object calls a bare facet, which reads or writes its own SQLite. */
  faceted(method: "hello" | "read" | "write", params: [string]): Promise<unknown> {
    const facet = this.ctx.facets.get("floor", () => ({ class: floorFacetClass(this.env.LOADER) })) as unknown as FloorFacet;
    return method === "hello" ? facet.hello(params[0]) : method === "read" ? facet.read() : facet.write(Number(params[0]));
  }

  /** The floor of a call through the object: this Durable Object calls a bare sandbox. */
  sandboxed(name: string): Promise<unknown> {
    return floorSandbox(this.env.LOADER).hello(name);
  }
}

/**
 * The engine's floor for a sandboxed call: a bare worker loaded through the Worker Loader (no prelude, no guards, no
 * string replies), reached the way objects.do reaches a definition. What objects.do adds is the distance from it.
 */
const FLOOR_MODULE = `import { WorkerEntrypoint } from "cloudflare:workers";
export default class extends WorkerEntrypoint {
  hello(name) { return \`Hello \${name}!\`; }
}`;

/** The engine's floor for a facet: a bare Durable Object class loaded through the Worker Loader, the same SQL. */
const FLOOR_FACET_MODULE = `import { DurableObject } from "cloudflare:workers";
export class Floor extends DurableObject {
  ready = false;
  table() {
    if (!this.ready) this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS docs (seq INTEGER PRIMARY KEY AUTOINCREMENT, collection TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, UNIQUE (collection, id))");
    this.ready = true;
    return this.ctx.storage.sql;
  }
  hello(name) { return \`Hello \${name}!\`; }
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
}`;

interface FloorFacet {
  hello(name: string): Promise<string>;
  read(): Promise<unknown>;
  write(count: number): Promise<unknown>;
}

const floorFacetClass = (loader: WorkerLoader) =>
  loader.get("floor:facet", () => ({ compatibilityDate: SANDBOX_COMPATIBILITY_DATE, mainModule: "main.js", modules: { "main.js": FLOOR_FACET_MODULE }, globalOutbound: null })).getDurableObjectClass("Floor");

interface FloorSandbox {
  hello(name: string): Promise<string>;
}

const floorSandbox = (loader: WorkerLoader) =>
  loader.get("floor:sandbox", () => ({ compatibilityDate: SANDBOX_COMPATIBILITY_DATE, mainModule: "main.js", modules: { "main.js": FLOOR_MODULE }, globalOutbound: null })).getEntrypoint() as unknown as FloorSandbox;

const ENGINE_SNAPSHOT = { hash: "e".repeat(64), provenance: { source: "api", at: "" }, definition: { $id: "engine.do", api: { hello: "async (name) => `Hello ${name}!`" } } } as Snapshot;
const ENGINE_OPTIONS = sandboxOptions(DEFAULT_LIMITS);
let engineVersion: PreparedVersion | undefined;

interface BenchEnv extends Env {
  STATIC_GREETER: DurableObjectNamespace<StaticGreeterDO>;
}

/**
 * workerd's own floor for a loaded definition: `count` trivial workers (one function each, the sandbox's compatibility
 * date, no network), each loaded and called once, so the scale bench can tell that floor from what objects.do adds.
 */
async function loadTrivialWorkers(loader: WorkerLoader, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) {
    const worker = loader.get(`floor:${i}`, () => ({
      compatibilityDate: SANDBOX_COMPATIBILITY_DATE,
      mainModule: "main.js",
      modules: { "main.js": `import { WorkerEntrypoint } from "cloudflare:workers"; export default class extends WorkerEntrypoint { hello() { return "hello ${i}"; } }` },
      globalOutbound: null,
    }));
    await (worker.getEntrypoint() as unknown as { hello(): Promise<string> }).hello();
  }
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/__bench/floor") {
      await loadTrivialWorkers(env.LOADER, Number(url.searchParams.get("from")), Number(url.searchParams.get("count")));
      return new Response("loaded\n");
    }
    if (url.pathname === "/__bench/static/rpc") {
      const { method, params } = (await request.json()) as { method: "hello" | "read" | "write"; params: [string] };
      const stub = env.STATIC_GREETER.get(env.STATIC_GREETER.idFromName("static"));
      const result = method === "read" ? await stub.read() : method === "write" ? await stub.write(Number(params[0])) : await stub.hello(params[0]);
      return new Response(`${JSON.stringify({ result })}\n`, { headers: { "content-type": "application/json" } });
    }
    if (url.pathname === "/__bench/facet/rpc") {
      // Worker → Durable Object → bare facet (its own SQLite): the floor of a definition's call with `$`.
      const { method, params } = (await request.json()) as { method: "hello" | "read" | "write"; params: [string] };
      const result = await env.STATIC_GREETER.get(env.STATIC_GREETER.idFromName("facet")).faceted(method, params);
      return new Response(`${JSON.stringify({ result })}\n`, { headers: { "content-type": "application/json" } });
    }
    if (url.pathname === "/__bench/engine/rpc") {
      // Worker → the definition's own generated modules (prelude, guards, budget, wire reply), nothing of objects.do's
      // routing in between: what the engine costs over the bare sandbox, and what the Worker's path costs over it.
      const { params } = (await request.json()) as { params: [string] };
      const reply = await sandboxOf(env.LOADER, (engineVersion ??= prepareVersion(ENGINE_SNAPSHOT)), "production", ENGINE_OPTIONS).call("hello", params, undefined);
      const result = await settleCall(Promise.resolve(reply), "engine.do", "hello", DEFAULT_LIMITS);
      return new Response(`{"result":${unwrap(result).json}}\n`, { headers: { "content-type": "application/json" } });
    }
    if (url.pathname === "/__bench/floor/rpc") {
      // hello: Worker → bare sandbox; inObject: Worker → Durable Object → bare sandbox.
      const { method, params } = (await request.json()) as { method: "hello" | "inObject"; params: [string] };
      const inObject = () => env.STATIC_GREETER.get(env.STATIC_GREETER.idFromName("floor"));
      const result = method === "hello" ? await floorSandbox(env.LOADER).hello(params[0]) : await inObject().sandboxed(params[0]);
      return new Response(`${JSON.stringify({ result })}\n`, { headers: { "content-type": "application/json" } });
    }
    return worker.fetch(request, env, ctx);
  },
  queue: worker.queue,
  scheduled: worker.scheduled,
} satisfies ExportedHandler<BenchEnv, never>;
