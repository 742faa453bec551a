// A definition has the consistency of a hand-written Durable Object: between its awaits, one call's `$.db` operations
// never interleave with another call's (the facet's input gate), and `$.db.transaction` commits together or not at all.
import { describe, expect, it } from "vitest";
import { problem } from "../support/http.ts";
import { api, token, unique } from "../support/worker-client.ts";

const concurrently = (count: number, call: (index: number) => Promise<Response>) => Promise.all(Array.from({ length: count }, (_, index) => call(index)));

const bank = {
  api: {
    open: "async () => { await $.db.Counter.create({ id: 'c', clicks: 0 }); await $.db.Account.create({ id: 'a', balance: 100 }); await $.db.Account.create({ id: 'b', balance: 100 }); }",
    // Read, then write what was read plus one: every await between them is the object's own storage.
    click: "async () => { const c = await $.db.Counter.get('c'); await $.db.Counter.update('c', { clicks: c.clicks + 1 }); }",
    clicks: "async () => (await $.db.Counter.get('c')).clicks",
    transfer: "async (from, to) => { const a = await $.db.Account.get(from); const b = await $.db.Account.get(to); if (a.balance < 1) return false; await $.db.Account.update(from, { balance: a.balance - 1 }); await $.db.Account.update(to, { balance: b.balance + 1 }); return true; }",
    total: "async () => (await $.db.Account.list()).reduce((sum, account) => sum + account.balance, 0)",
    // Find, then create when none: one document whatever the concurrency.
    claim: "async (name) => { const found = await $.db.Handle.find({ name }); if (found.length) return found[0].id; return (await $.db.Handle.create({ name })).id; }",
    handles: "async () => (await $.db.Handle.list()).length",
  },
};

describe("the consistency of a hand-written Durable Object", () => {
  it.each([100, 200])("loses no update of %i concurrent read-then-write calls, creates no money and makes one document", async (count) => {
    const id = unique("consistent");
    expect((await api.put(id, bank, token)).status).toBe(201);
    await api.result(id, "open");
    const clicks = await concurrently(count, () => api.rpc(id, "click"));
    expect(clicks.every((response) => response.status === 200)).toBe(true);
    expect(await api.result(id, "clicks")).toBe(count);
    const transfers = await concurrently(count, (index) => api.rpc(id, "transfer", index % 2 ? ["a", "b"] : ["b", "a"]));
    expect(transfers.every((response) => response.status === 200)).toBe(true);
    expect(await api.result(id, "total")).toBe(200);
    const claims = await concurrently(count, () => api.rpc(id, "claim", ["ada"]));
    const ids = new Set(await Promise.all(claims.map(async (response) => ((await response.json()) as { result: string }).result)));
    expect(ids.size).toBe(1);
    expect(await api.result(id, "handles")).toBe(1);
  });

  it("holds across events: a handler's reads and writes run with the call that emitted them", async () => {
    const id = unique("consistent-events");
    const definition = {
      api: {
        open: "async () => $.db.Counter.create({ id: 'c', clicks: 0 })",
        click: "async () => $.emit('Counter.clicked', {})",
        clicks: "async () => (await $.db.Counter.get('c')).clicks",
      },
      events: { "Counter.clicked": "async () => { const c = await $.db.Counter.get('c'); await $.db.Counter.update('c', { clicks: c.clicks + 1 }); }" },
    };
    expect((await api.put(id, definition, token)).status).toBe(201);
    await api.result(id, "open");
    await concurrently(100, () => api.rpc(id, "click"));
    expect(await api.result(id, "clicks")).toBe(100);
  });
});

describe("$.db.transaction", () => {
  const definition = {
    api: {
      open: "async () => { await $.db.Account.create({ id: 'a', balance: 10 }); await $.db.Account.create({ id: 'b', balance: 10 }); }",
      // Debits first, then fails: the debit must not stay.
      move: "async (amount, fail) => $.db.transaction(async () => { const a = await $.db.Account.get('a'); await $.db.Account.update('a', { balance: a.balance - amount }); if (fail) throw new Error('declined'); const b = await $.db.Account.get('b'); await $.db.Account.update('b', { balance: b.balance + amount }); return 'moved'; })",
      caught: "async () => { try { await $.db.transaction(async () => { await $.db.Account.update('a', { balance: 0 }); throw new Error('no'); }); } catch (error) { return error.message; } }",
      balances: "async () => (await $.db.Account.list()).map((account) => account.balance)",
      mail: "async () => $.db.transaction(async () => { await $.db.Account.update('a', { balance: 1 }); await $.email`hello`; })",
      nested: "async () => $.db.transaction(async () => $.db.transaction(async () => 1))",
      large: "async () => $.db.transaction(async () => $.fsx.write('/big.bin', 'x'.repeat(1_200_000)))",
      small: "async () => $.db.transaction(async () => { await $.fsx.write('/small.txt', 'ok'); return $.fsx.read('/small.txt'); })",
    },
  };

  it("commits every write or none: a throw rolls back and the call sees its error", async () => {
    const id = unique("transaction");
    expect((await api.put(id, definition, token)).status).toBe(201);
    await api.result(id, "open");
    expect(await api.result(id, "move", [3, false])).toBe("moved");
    expect(await api.result(id, "balances")).toEqual([7, 13]);
    expect((await problem(await api.rpc(id, "move", [3, true]), 500)).detail).toContain("declined");
    expect(await api.result(id, "balances")).toEqual([7, 13]);
    expect(await api.result(id, "caught")).toBe("no");
    expect(await api.result(id, "balances")).toEqual([7, 13]);
    // Concurrent transactions of the same move lose nothing.
    await concurrently(50, () => api.rpc(id, "move", [1, false]));
    expect(await api.result(id, "balances")).toEqual([-43, 63]);
  });

  it("refuses what would wait on the world inside it (messages, services, files in R2), and nesting; small files are fine", async () => {
    const id = unique("transaction-refusals");
    expect((await api.put(id, definition, token)).status).toBe(201);
    await api.result(id, "open");
    expect((await problem(await api.rpc(id, "mail"), 500)).detail).toMatch(/\$\.email cannot run inside \$\.db\.transaction/);
    expect(await api.result(id, "balances")).toEqual([10, 10]);
    expect((await problem(await api.rpc(id, "nested"), 500)).detail).toMatch(/cannot be nested/);
    expect((await problem(await api.rpc(id, "large"), 500)).detail).toMatch(/a file over 1 MB \(kept in R2\) cannot run inside \$\.db\.transaction/);
    expect(await api.result(id, "small")).toBe("ok");
  });
});
