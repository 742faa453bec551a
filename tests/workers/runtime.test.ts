import { beforeAll, describe, expect, it } from "vitest";
import { problem } from "../support/http.ts";
import { api, token, unique } from "../support/worker-client.ts";

const crm = {
  $type: "SaaS",
  config: { plan: "pro" },
  api: {
    ping: "async () => 'pong'",
    whoami: "async () => ({ id: $.$id, type: $.$type, plan: $.config.plan })",
    customers: {
      create: { code: "async (data) => { const c = await $.db.Customer.create(data); await $.emit('Customer.created', c); return c }", params: ["data"], returns: "Customer" },
      get: "async (id) => $.db.Customer.get(id)",
      list: "async () => $.db.Customer.list()",
      update: "async (id, patch) => $.db.Customer.update(id, patch)",
      remove: "async (id) => $.db.Customer.delete(id)",
      find: "async (filter) => $.db.Customer.find(filter)",
    },
    log: "async () => $.db.Log.list()",
    add: "async (a, b) => a + b",
    echo: "async (value) => value",
    fail: "async () => { throw new TypeError('card declined') }",
    unserializable: "async () => () => 1",
    badCollection: "async () => $.db['no-such name'].list()",
    injection: "async () => $.db.Customer.find({ name: \"x' OR '1'='1\" })",
  },
  events: {
    "Customer.created": "async (c) => { await $.db.Log.create({ event: 'Customer.created', name: c.name }) }",
    "Customer.*": "async (c) => { await $.db.Log.create({ event: 'Customer.*', name: c.name }) }",
    "*.created": "async () => { throw new Error('a failing handler does not fail the emitter') }",
    "Order.created": "async () => { await $.db.Log.create({ event: 'wrong' }) }",
  },
  schedules: { "every.hour": "async () => {}" },
  site: { "/": "# Acme CRM", "/pricing": "# Pricing" },
};

describe("calling a definition", () => {
  let id: string;
  beforeAll(async () => {
    id = unique("crm");
    expect((await api.put(id, crm, token)).status).toBe(201);
  });

  it("keeps JSON documents in $.db with generated ids", async () => {
    const ada = (await api.result(id, "customers.create", [{ name: "Ada", tier: "gold", vip: true }])) as { id: string };
    expect(ada.id).toMatch(/^[0-9a-f-]{36}$/);
    await api.result(id, "customers.create", [{ name: "Bob", tier: "free", vip: false }]);
    expect(await api.result(id, "customers.get", [ada.id])).toEqual({ id: ada.id, name: "Ada", tier: "gold", vip: true });
    expect(await api.result(id, "customers.update", [ada.id, { tier: "platinum" }])).toMatchObject({ name: "Ada", tier: "platinum" });
    expect(((await api.result(id, "customers.find", [{ vip: true }])) as Array<{ name: string }>).map((c) => c.name)).toEqual(["Ada"]);
    expect(((await api.result(id, "customers.list")) as unknown[]).length).toBe(2);
    expect(await api.result(id, "customers.remove", [ada.id])).toBe(true);
    expect(await api.result(id, "customers.get", [ada.id])).toBeNull();
  });

  it("runs matching event handlers in pattern order; a failing handler does not fail the emitter", async () => {
    const other = unique("events");
    await api.put(other, crm, token);
    await api.result(other, "customers.create", [{ name: "Cy" }]);
    const log = (await api.result(other, "log")) as Array<{ event: string; name: string }>;
    // Snapshots are canonical JSON, so handlers run in the sorted order of their patterns.
    expect(log.map((entry) => entry.event)).toEqual(["Customer.*", "Customer.created"]);
  });

  it("gives $ its identity and config", async () => {
    expect(await api.result(id, "whoami")).toEqual({ id, type: "SaaS", plan: "pro" });
  });

  it("passes parameters through /rpc and /api/*", async () => {
    expect(await api.result(id, "add", [2, 3])).toBe(5);
    const post = await api.fetch(`/${id}/api/add`, { method: "POST", body: "[20, 22]" });
    expect(await post.json()).toEqual({ result: 42 });
    const one = await api.fetch(`/${id}/api/echo`, { method: "POST", body: '{"a":1}' });
    expect(await one.json()).toEqual({ result: { a: 1 } });
    const get = await api.fetch(`/${id}/api/ping`);
    expect(await get.json()).toEqual({ result: "pong" });
    const nested = await api.fetch(`/${id}/api/customers/list`);
    expect(nested.status).toBe(200);
  });

  it("describes its surface at /__schema", async () => {
    const schema = (await (await api.fetch(`/${id}/__schema`)).json()) as Record<string, unknown>;
    expect(schema).toMatchObject({ id, type: "SaaS", schedules: ["every.hour"], site: ["/", "/pricing"], app: [], versions: [] });
    expect(schema.events).toEqual(["*.created", "Customer.*", "Customer.created", "Order.created"]);
    expect(schema.methods).toContainEqual(expect.objectContaining({ name: "customers.create", signature: "customers.create(data) → Customer", params: ["data"], returns: "Customer" }));
    expect(schema.methods).toContainEqual({ name: "ping", signature: "ping()", params: [], returns: null, inputSchema: { type: "object", properties: {} } });
    expect(schema.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("serves site pages as HTML and a 404 problem for unknown pages", async () => {
    expect(await (await api.fetch(`/${id}@latest/pricing`)).text()).toContain("<h1>Pricing</h1>");
    expect(await (await api.fetch(`/${id}`)).text()).toContain("<title>Acme CRM");
    expect((await problem(await api.fetch(`/${id}@latest/nope`), 404)).code).toBe("page-not-found");
  });

  it("answers a user's thrown error as 500 method-failed with the user's message and no stack", async () => {
    const body = await problem(await api.rpc(id, "fail"), 500);
    expect(body).toMatchObject({ code: "method-failed", detail: "TypeError: card declined" });
    expect(JSON.stringify(body)).not.toMatch(/at .*:\d+:\d+/);
  });

  it("answers 404 method-not-found for an unknown method", async () => {
    expect((await problem(await api.rpc(id, "nope"), 404)).code).toBe("method-not-found");
    expect((await problem(await api.rpc(id, "__proto__"), 404)).code).toBe("method-not-found");
    expect((await problem(await api.rpc(id, "constructor"), 404)).code).toBe("method-not-found");
  });

  it("reports results that are not JSON, bad collection names and keeps SQL parameterised", async () => {
    expect((await problem(await api.rpc(id, "unserializable"), 500)).code).toBe("non-serializable-result");
    expect((await problem(await api.rpc(id, "badCollection"), 500)).detail).toMatch(/collection name must be an identifier/);
    expect(await api.result(id, "injection")).toEqual([]);
  });

  it("answers 400 for a malformed RPC body and 413 for arguments over 1 MiB", async () => {
    expect((await problem(await api.fetch(`/${id}/rpc`, { method: "POST", body: '{"params":[]}' }), 400)).code).toBe("rpc-body-invalid");
    expect((await problem(await api.fetch(`/${id}/rpc`, { method: "POST", body: "nope" }), 400)).code).toBe("json-invalid");
    const big = JSON.stringify({ method: "echo", params: ["x".repeat(1_100_000)] });
    expect((await problem(await api.fetch(`/${id}/rpc`, { method: "POST", body: big }), 413)).code).toBe("body-too-large");
    const deep = `{"method":"echo","params":[${"[".repeat(100_000)}${"]".repeat(100_000)}]}`;
    expect((await problem(await api.fetch(`/${id}/rpc`, { method: "POST", body: deep }), 422)).code).toBe("max-depth");
  });

  it("answers 404 for paths that name no object", async () => {
    expect((await problem(await api.fetch("/NOT_AN_ID"), 404)).code).toBe("not-found");
    expect((await problem(await api.fetch("/", { method: "POST", body: "{}" }), 404)).code).toBe("not-found");
    expect((await problem(await api.fetch("/NOT_AN_ID/rpc", { method: "POST", body: "{}" }), 404)).code).toBe("not-found");
  });
});

describe("isolation", () => {
  it("never lets two objects see each other's db", async () => {
    const store = { api: { put: "async (v) => $.db.Secret.create({ id: 'k', v })", get: "async () => $.db.Secret.get('k')" } };
    const [a, b] = [unique("tenant-a"), unique("tenant-b")];
    await api.put(a, store, token);
    await api.put(b, store, token);
    await api.result(a, "put", ["a's secret"]);
    expect(await api.result(b, "get")).toBeNull();
    expect(await api.result(a, "get")).toEqual({ id: "k", v: "a's secret" });
  });

  it("gives every version of one object the same production state", async () => {
    const id = unique("shared-state");
    await api.put(id, { api: { put: "async () => $.db.X.create({ id: 'one' })" } }, token, "?version=1.0.0");
    await api.result(`${id}@v1.0.0`, "put");
    await api.put(id, { api: { get: "async () => $.db.X.get('one')" } }, token, "?version=2.0.0");
    expect(await api.result(`${id}@v2.0.0`, "get")).toEqual({ id: "one" });
  });
});

describe("routing by host", () => {
  it("serves a mapped host's whole path space, with a pinned ref where the mapping says so", async () => {
    await api.put("hosted.do", { api: { v: "async () => 1" }, site: { "/": "# Home", "/pricing": "# Pricing" } }, token, "?version=1.0.0");
    await api.put("hosted.do", { api: { v: "async () => 2" } }, token, "?version=2.0.0");
    const rpc = (host: string) => api.fetch("/rpc", { method: "POST", body: '{"method":"v"}' }, `http://${host}`);
    expect(await (await rpc("crm.example.test")).json()).toEqual({ result: 2 });
    expect(await (await rpc("old.example.test")).json()).toEqual({ result: 1 });
    expect(await (await api.fetch("/pricing", {}, "http://old.example.test")).text()).toContain("<h1>Pricing</h1>");
  });

  it("maps a wildcard host to the object of the same name, and answers 404 for unknown hosts", async () => {
    await api.put("acme.tenants.test", { api: { who: "async () => $.$id" } }, token);
    expect(await (await api.fetch("/api/who", {}, "http://acme.tenants.test")).json()).toEqual({ result: "acme.tenants.test" });
    expect((await problem(await api.fetch("/rpc", { method: "POST", body: "{}" }, "http://unknown.example.test"), 404)).code).toBe("host-not-found");
  });
});
