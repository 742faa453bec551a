// From outside, over HTTP to `npm start`: concurrent read-then-write calls on one object lose nothing, as they would on
// a hand-written Durable Object (counter, transfer, create-if-absent at 100 and 200 calls at once).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";

let e2e: E2E;
let admin: string;

beforeAll(async () => {
  e2e = await startE2E();
  admin = await e2e.token();
});
afterAll(async () => {
  await e2e?.stop();
});

const definition = {
  api: {
    open: "async () => { await $.db.Counter.create({ id: 'c', clicks: 0 }); await $.db.Account.create({ id: 'a', balance: 100 }); await $.db.Account.create({ id: 'b', balance: 100 }); }",
    click: "async () => { const c = await $.db.Counter.get('c'); await $.db.Counter.update('c', { clicks: c.clicks + 1 }); }",
    clicks: "async () => (await $.db.Counter.get('c')).clicks",
    transfer: "async (from, to) => { const a = await $.db.Account.get(from); const b = await $.db.Account.get(to); await $.db.Account.update(from, { balance: a.balance - 1 }); await $.db.Account.update(to, { balance: b.balance + 1 }); }",
    total: "async () => (await $.db.Account.list()).reduce((sum, account) => sum + account.balance, 0)",
    claim: "async (name) => { const found = await $.db.Handle.find({ name }); return found.length ? found[0].id : (await $.db.Handle.create({ name })).id; }",
    handles: "async () => (await $.db.Handle.list()).length",
  },
};

describe("consistency over HTTP", () => {
  it.each([100, 200])("holds at %i concurrent calls: every click counted, no money made, one document", async (count) => {
    const id = `consistent-${count}.do`;
    const put = await fetch(`${e2e.server.url}/${id}`, { method: "PUT", headers: { authorization: `Bearer ${admin}` }, body: JSON.stringify(definition) });
    expect(put.status).toBe(201);
    expect((await e2e.call(id, "open")).status).toBe(200);
    const all = (method: string, params: (index: number) => unknown[] = () => []) => Promise.all(Array.from({ length: count }, (_, index) => e2e.call(id, method, params(index))));
    expect((await all("click")).every((answer) => answer.status === 200)).toBe(true);
    expect((await e2e.call(id, "clicks")).body.result).toBe(count);
    expect((await all("transfer", (index) => (index % 2 ? ["a", "b"] : ["b", "a"]))).every((answer) => answer.status === 200)).toBe(true);
    expect((await e2e.call(id, "total")).body.result).toBe(200);
    const claims = await all("claim", () => ["ada"]);
    expect(new Set(claims.map((answer) => answer.body.result)).size).toBe(1);
    expect((await e2e.call(id, "handles")).body.result).toBe(1);
  });
});
