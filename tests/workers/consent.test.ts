// One tenant against another: an event reaches a `$context` parent only with the parent's consent.
import { beforeAll, describe, expect, it } from "vitest";
import { problem } from "../support/http.ts";
import { signToken } from "../support/tokens.ts";
import { api, token as admin, unique } from "../support/worker-client.ts";

const victimEvents = { "Order.paid": "async (d, e) => $.db.Payment.create({ from: e.source, d })" };
const victimApi = { payments: "async () => $.db.Payment.list()" };
const attacker = (parent: string) => ({ $context: parent, api: { go: "async () => { await $.emit('Order.paid', { forged: true }); return 'sent' }" } });

const events = async (id: string, auth: string) => {
  const response = await api.fetch(`/${id}/__events`, { headers: { authorization: `Bearer ${auth}` } });
  return ((await response.json()) as { events: Array<{ name: string; status: string; detail: string | null }> }).events;
};

describe("an event bubbling to another owner's object", () => {
  let victim: string;
  let evil: string;
  let victimToken: string;
  let evilToken: string;
  beforeAll(async () => {
    victim = unique("victim");
    evil = unique("attacker");
    victimToken = await signToken({ scope: victim });
    evilToken = await signToken({ scope: evil });
    expect((await api.put(victim, { events: victimEvents, api: victimApi }, victimToken)).status).toBe(201);
  });

  it("is refused at publish with 422 naming the parent that does not accept it", async () => {
    const body = await problem(await api.put(evil, attacker(victim), evilToken), 422);
    expect(body.code).toBe("definition-invalid");
    expect(body.errors).toEqual([expect.objectContaining({ path: "/$context", code: "context-refused", message: expect.stringContaining(`${victim} does not accept ${evil}`) })]);
    expect(await api.result(victim, "payments")).toEqual([]);
  });

  it("cannot squat a parent id that does not exist yet", async () => {
    const future = unique("future");
    const body = await problem(await api.put(evil, attacker(future), evilToken), 422);
    expect(body.errors?.[0]?.code).toBe("context-refused");
  });

  it("is delivered when the parent accepts the child, and refused (recorded in the child's log, never run) once it stops", async () => {
    expect((await api.put(victim, { accepts: [evil], events: victimEvents, api: victimApi }, victimToken)).status).toBe(201);
    expect((await api.put(evil, attacker(victim), evilToken)).status).toBe(201);
    expect(await api.result(evil, "go")).toBe("sent");
    expect(await api.result(victim, "payments")).toEqual([expect.objectContaining({ from: evil })]);

    expect((await api.put(victim, { events: victimEvents, api: victimApi }, victimToken)).status).toBeLessThan(300);
    expect(await api.result(evil, "go")).toBe("sent");
    expect(await api.result(victim, "payments")).toHaveLength(1);
    const refused = (await events(evil, evilToken)).find((event) => event.status === "refused");
    expect(refused?.detail).toContain(`${victim} does not accept ${evil}`);
  });

  it("is delivered when one principal publishes both, without any accepts", async () => {
    const both = await signToken({ scope: ["*.family.test", "parent.family.test"] });
    const [parent, child] = [`parent.family.test`, `kid-${crypto.randomUUID().slice(0, 6)}.family.test`];
    expect((await api.put(parent, { events: victimEvents, api: victimApi }, both)).status).toBeLessThan(300);
    expect((await api.put(child, attacker(parent), both)).status).toBe(201);
    expect(await api.result(child, "go")).toBe("sent");
    expect(await api.result(parent, "payments")).toEqual(expect.arrayContaining([expect.objectContaining({ from: child })]));
  });

  it("refuses a $context that names no object", async () => {
    const body = await problem(await api.put(unique("lost"), { $context: "not an id!", api: { a: "async () => 1" } }, admin), 422);
    expect(body.errors?.[0]?.code).toBe("context-invalid");
  });

  it("refuses an accepts entry that is not an id pattern", async () => {
    const body = await problem(await api.put(unique("bad-accepts"), { accepts: ["Not An Id"], api: { a: "async () => 1" } }, admin), 422);
    expect(body.errors?.[0]?.path).toBe("/accepts/0");
  });
});
