import { env } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { problem } from "../support/http.ts";
import { api, token, unique } from "../support/worker-client.ts";

const admin = { authorization: `Bearer ${token}`, accept: "application/json" };
const view = async (path: string) => (await (await api.fetch(path, { headers: admin })).json()) as Record<string, unknown>;
const productionObject = (id: string) => env.OBJECTS.get(env.OBJECTS.idFromName(`production:${id}`));

describe("$.fsx", () => {
  let id: string;
  beforeAll(async () => {
    id = unique("files");
    await api.put(id, {
      api: {
        write: "async (path, content) => $.fsx.write(path, content)",
        read: "async (path) => $.fsx.read(path)",
        list: "async (glob) => $.fsx.list(glob)",
        remove: "async (path) => $.fsx.delete(path)",
        big: "async (n) => { await $.fsx.write('/big.bin', 'x'.repeat(n)); return (await $.fsx.read('big.bin')).length }",
        many: "async () => { for (let i = 0; i < 1001; i++) await $.fsx.list() }",
        same: "async (path) => $.fsx.write(path, 'y'.repeat(1_200_000))",
        size: "async (path) => (await $.fsx.read(path)).length",
      },
    }, token);
  });

  it("reads, writes, lists and deletes files rooted at /", async () => {
    await api.result(id, "write", ["/docs/a.md", "# A"]);
    await api.result(id, "write", ["docs/b.txt", "B"]);
    expect(await api.result(id, "read", ["docs/a.md"])).toBe("# A");
    expect(await api.result(id, "read", ["/docs/b.txt"])).toBe("B");
    expect(await api.result(id, "list", ["docs/*.md"])).toEqual(["/docs/a.md"]);
    expect(await api.result(id, "list", [])).toEqual(["/docs/a.md", "/docs/b.txt"]);
    expect(await api.result(id, "remove", ["/docs/a.md"])).toBe(true);
    expect(await api.result(id, "remove", ["/docs/a.md"])).toBe(false);
    expect((await problem(await api.rpc(id, "read", ["docs/a.md"]), 500)).detail).toMatch(/FileError: no file \/docs\/a\.md/);
  });

  it("keeps files larger than a Durable Object value in R2", async () => {
    expect(await api.result(id, "big", [3_000_000])).toBe(3_000_000);
    const keys = await env.FILES.list({ prefix: `fsx/production/${id}/` });
    expect(keys.objects).toHaveLength(1);
    await api.result(id, "remove", ["big.bin"]);
    expect((await env.FILES.list({ prefix: `fsx/production/${id}/` })).objects).toHaveLength(0);
  });

  it("gives each large file a blob of its own, so deleting one of two equal files cannot take the other's content", async () => {
    const blobs = async () => (await env.FILES.list({ prefix: `fsx/production/${id}/` })).objects.length;
    await api.result(id, "same", ["/one.bin"]);
    await api.result(id, "same", ["/two.bin"]);
    // One blob per file: a shared one could be deleted by one call while another's upload of it was in flight.
    expect(await blobs()).toBe(2);
    expect(await api.result(id, "remove", ["/one.bin"])).toBe(true);
    expect(await api.result(id, "size", ["/two.bin"])).toBe(1_200_000);
    expect(await blobs()).toBe(1);
    await api.result(id, "same", ["/two.bin"]);
    expect(await blobs()).toBe(1);
    expect(await api.result(id, "remove", ["/two.bin"])).toBe(true);
    expect(await blobs()).toBe(0);
  });

  it.each(["../../etc/passwd", "/a/../../b", "a\u0000b", "a\\b"])("refuses the unsafe path %j", async (path) => {
    expect((await problem(await api.rpc(id, "write", [path, "x"]), 500)).detail).toMatch(/FileError: unsafe path/);
  });

  it("answers 429 quota-fsx past the per-call quota", async () => {
    expect((await problem(await api.rpc(id, "many"), 429)).code).toBe("quota-fsx");
  });
});

describe("messages: $.email, $.sms, $.slack", () => {
  it("keeps tagged-template messages in the outbox (local development) and shows them to the owner", async () => {
    const id = unique("messages");
    await api.put(id, { api: { welcome: "async (name, email) => { await $.email`Welcome ${name} to ${email}`; await $.slack`#sales New customer: ${name}`; return 'ok' }", spam: "async () => { for (let i = 0; i < 25; i++) await $.sms`hi ${i}` }" } }, token);
    expect(await api.result(id, "welcome", ["Ada", "ada@example.com"])).toBe("ok");
    const { outbox } = (await view(`/${id}/__outbox`)) as { outbox: Array<{ channel: string; text: string; status: string }> };
    expect(outbox.map(({ channel, text, status }) => [channel, text, status])).toEqual([
      ["slack", "#sales New customer: Ada", "outbox"],
      ["email", "Welcome Ada to ada@example.com", "outbox"],
    ]);
    expect((await problem(await api.rpc(id, "spam"), 429)).code).toBe("quota-sms");
    expect((await api.fetch(`/${id}/__outbox`)).status).toBe(401);
  });
});

describe("a method reading only what the definition says of itself ($.$id, $.config)", () => {
  it("runs from the Worker with just those fields: no ObjectDO is woken, and nothing else of $ is there", async () => {
    const { runInDurableObject } = await import("cloudflare:test");
    const id = unique("data-only");
    await api.put(id, { config: { plan: "pro" }, api: { who: "async () => [$.$id, $.config.plan, $.$type ?? null]", state: "async () => typeof $.db" } }, token);
    expect(await api.result(id, "who")).toEqual([id, "pro", null]);
    // The call journal reaches the ObjectDO in a batch a second later; only a call run there stores the identity first.
    expect(await runInDurableObject(productionObject(id), (_, state) => state.storage.kv.get("identity") ?? null)).toBeNull();
    expect(await api.result(id, "state")).toBe("object");
  });
});

describe("an object no call has reached yet", () => {
  it("shows an empty outbox, event log, call log and schedule list (each store creates its own tables)", async () => {
    const id = unique("untouched");
    await api.put(id, { api: { hello: "async () => 'hi'" } }, token);
    expect(((await view(`/${id}/__outbox`)) as { outbox: unknown[] }).outbox).toEqual([]);
    expect(((await view(`/${id}/__events`)) as { events: unknown[] }).events).toEqual([]);
    expect(((await view(`/${id}/__schedules`)) as { schedules: unknown[] }).schedules).toEqual([]);
  });
});

describe("events", () => {
  it("records every handler run, failures included, without failing the emitter", async () => {
    const id = unique("events");
    await api.put(id, {
      api: { add: "async (name) => { await $.emit('Customer.created', { name }); return 'added' }" },
      events: { "Customer.created": "async (c) => $.db.Log.create(c)", "*.created": "async () => { throw new Error('boom') }" },
    }, token);
    expect(await api.result(id, "add", ["Ada"])).toBe("added");
    const { events } = (await view(`/${id}/__events`)) as { events: Array<{ name: string; handler: string; status: string; detail: string | null }> };
    expect(events.map(({ handler, status }) => [handler, status]).sort()).toEqual([["*.created", "failed"], ["Customer.created", "ok"]]);
    expect(events.find((e) => e.status === "failed")!.detail).toContain("boom");
  });

  it("runs handlers in the emitting call, in pattern order, each on its own copy of the data, before emit resolves", async () => {
    const id = unique("events-inline");
    await api.put(id, {
      api: {
        add: "async () => { const order = { n: 1 }; await $.emit('Order.placed', order); return { emitter: order.n, seen: (await $.db.Seen.list()).map((s) => s.step) } }",
      },
      events: {
        "Order.*": "async (order, event) => { order.n = 99; await $.db.Seen.create({ step: `first ${order.n} ${event.hops}` }) }",
        "Order.placed": "async (order) => $.db.Seen.create({ step: `second ${order.n}` })",
        "Other.*": "async () => $.db.Seen.create({ step: 'never' })",
      },
    }, token);
    expect(await api.result(id, "add")).toEqual({ emitter: 1, seen: ["first 99 0", "second 1"] });
  });

  it("takes JSON event data only, at most 1000 events a call, and logs the events of a call that then fails", async () => {
    const [id, flooded] = [unique("events-bounds"), unique("events-flood")];
    const definition = {
      api: {
        fn: "async () => { try { await $.emit('Bad.data', { f: () => 1 }) } catch (e) { return [e.name, e.message, (await $.db.Seen.list()).length] } }",
        flood: "async () => { let n = 0; try { for (;;) { await $.emit('Tick.x', {}); n++ } } catch (e) { return [n, e.message] } }",
        fails: "async () => { await $.emit('Bad.data', { ok: true }); throw new Error('after the emit') }",
      },
      events: { "Bad.*": "async (data) => $.db.Seen.create(data)" },
    };
    for (const object of [id, flooded]) await api.put(object, definition, token);
    expect(await api.result(id, "fn")).toEqual(["TypeError", 'the event\'s data holds a function at "f": event data must be JSON', 0]);
    expect((await problem(await api.rpc(id, "fails"), 500)).detail).toContain("after the emit");
    const { events } = (await view(`/${id}/__events`)) as { events: Array<{ name: string; handler: string | null; status: string }> };
    expect(events).toEqual([expect.objectContaining({ name: "Bad.data", handler: "Bad.*", status: "ok" })]);
    expect(await api.result(flooded, "flood")).toEqual([1000, "one call may emit at most 1000 events"]);
    const logged = (await view(`/${flooded}/__events?limit=1000`)) as { events: Array<{ name: string; status: string }> };
    expect(logged.events.filter((e) => e.name === "Tick.x" && e.status === "unhandled")).toHaveLength(1000);
  });

  it("writes its log in batches that a deletion drops: nothing of the old object reappears in the new one", async () => {
    const id = unique("events-wiped");
    const definition = { api: { add: "async () => { await $.emit('Thing.made', {}); return 1 }" }, events: { "Thing.made": "async () => 1" } };
    await api.put(id, definition, token);
    // The batch of this call is still pending when the object is deleted (it is written a second later).
    expect(await api.result(id, "add")).toBe(1);
    expect((await api.fetch(`/${id}`, { method: "DELETE", headers: admin })).status).toBeLessThan(300);
    await api.put(id, definition, token);
    // Reading the log creates the new object's tables before the old batch is due.
    expect(((await view(`/${id}/__events`)) as { events: unknown[] }).events).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(((await view(`/${id}/__events`)) as { events: unknown[] }).events).toEqual([]);
  });

  it("bubbles an event to the object $context names, with the source attached (CDC)", async () => {
    const parent = unique("startup");
    const child = `${parent}/tenant-123`;
    await api.put(parent, { api: { seen: "async () => $.db.Seen.list()" }, events: { "Customer.*": "async (data, event) => $.db.Seen.create({ ...data, event: event.name, source: event.source, hops: event.hops })" } }, token);
    await api.put(child, { $context: `https://${parent}`, api: { add: "async (name) => { await $.emit('Customer.created', { name }); return 'ok' }" } }, token);
    await api.result(child, "add", ["Ada"]);
    const seen = (await api.result(parent, "seen")) as Array<Record<string, unknown>>;
    expect(seen).toEqual([expect.objectContaining({ name: "Ada", event: "Customer.created", source: child, hops: 1 })]);
  });

  it("cuts a $context cycle at the hop limit", async () => {
    const [a, b] = [unique("ring-a"), unique("ring-b")];
    await api.put(a, { $context: b, api: { ping: "async () => { await $.emit('Ping.sent', {}); return 'sent' }" }, events: { "Ping.sent": "async () => $.db.Hit.create({})" } }, token);
    await api.put(b, { $context: a, api: { hits: "async () => (await $.db.Hit.list()).length" }, events: { "Ping.sent": "async () => $.db.Hit.create({})" } }, token);
    expect(await api.result(a, "ping")).toBe("sent");
    const { events } = (await view(`/${a}/__events`)) as { events: Array<{ status: string }> };
    expect(events.some((e) => e.status === "cut" || e.status === "bubble-failed")).toBe(true);
    expect((await api.result(b, "hits")) as number).toBeLessThanOrEqual(8);
  });
});

describe("schedules", () => {
  it("sets the alarm to the earliest next run, runs due schedules of latest, and keeps the last runs", async () => {
    const id = unique("cron");
    await api.put(id, { api: { ticks: "async () => (await $.db.Tick.list()).length" }, schedules: { "0 0 1 1 *": "async (tick) => $.db.Tick.create({ pattern: tick.pattern })", "every.day.at9am": "async () => {}" } }, token);
    const before = (await view(`/${id}/__schedules`)) as { schedules: Array<{ pattern: string; next_at: string }> };
    expect(before.schedules.map((s) => s.pattern).sort()).toEqual(["0 0 1 1 *", "every.day.at9am"]);
    const stub = productionObject(id);
    // Make the yearly schedule due now, then fire the alarm as workerd would (no real alarm fires during the test).
    await runInObject(stub, (sql) => sql.exec("UPDATE __schedules SET next_at = ? WHERE pattern = '0 0 1 1 *'", Date.now() - 1000));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await api.result(id, "ticks")).toBe(1);
    const after = (await view(`/${id}/__schedules`)) as { runs: Array<{ pattern: string; ok: number }>; schedules: Array<{ pattern: string; next_at: string }> };
    expect(after.runs).toEqual([expect.objectContaining({ pattern: "0 0 1 1 *", ok: 1 })]);
    expect(Date.parse(after.schedules.find((s) => s.pattern === "0 0 1 1 *")!.next_at)).toBeGreaterThan(Date.now());
  });

  it("follows latest: a new publish changes which code runs next, and removed schedules stop", async () => {
    const id = unique("cron-follow");
    await api.put(id, { api: { ticks: "async () => (await $.db.Tick.list()).map((t) => t.v)" }, schedules: { "0 0 1 1 *": "async () => $.db.Tick.create({ v: 1 })" } }, token);
    await api.put(id, { api: { ticks: "async () => (await $.db.Tick.list()).map((t) => t.v)" }, schedules: { "0 0 1 1 *": "async () => $.db.Tick.create({ v: 2 })" } }, token);
    const stub = productionObject(id);
    await runInObject(stub, (sql) => sql.exec("UPDATE __schedules SET next_at = ?", Date.now() - 1000));
    await runDurableObjectAlarm(stub);
    expect(await api.result(id, "ticks")).toEqual([2]);
    await api.put(id, { api: { ticks: "async () => (await $.db.Tick.list()).map((t) => t.v)" } }, token);
    expect(((await view(`/${id}/__schedules`)) as { schedules: unknown[] }).schedules).toEqual([]);
  });

  it("wakes the object at publish only when schedules may follow: never for an object that has none", async () => {
    const { runInDurableObject } = await import("cloudflare:test");
    // The identity is what the woken object stores first (latestMoved): absent, the publish woke nothing.
    const identity = (id: string) => runInDurableObject(productionObject(id), (_, state) => state.storage.kv.get("identity") ?? null);
    const plain = unique("no-cron");
    await api.put(plain, { api: { one: "async () => 1" } }, token);
    await api.put(plain, { api: { one: "async () => 2" } }, token);
    expect(await identity(plain)).toBeNull();
    const scheduled = unique("cron-wake");
    await api.put(scheduled, { api: { one: "async () => 1" }, schedules: { "every.hour": "async () => {}" } }, token);
    expect(await identity(scheduled)).toEqual({ id: scheduled, environment: "production" });
  });

  it("refuses a never-firing pattern at publish with a 422 naming it", async () => {
    const body = await problem(await api.put(unique("never"), { schedules: { "0 0 30 2 *": "async () => {}" } }, token), 422);
    expect(body.errors).toEqual([expect.objectContaining({ path: "/schedules/0 0 30 2 *", code: "schedule-invalid" })]);
  });
});

async function runInObject(stub: DurableObjectStub, work: (sql: SqlStorage) => void): Promise<void> {
  const { runInDurableObject } = await import("cloudflare:test");
  await runInDurableObject(stub, (_, state) => work(state.storage.sql));
}
