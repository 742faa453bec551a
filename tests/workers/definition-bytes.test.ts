// PUT with bytes a definition may not hold: each refused with a located 422, and nothing published.
import { describe, expect, it } from "vitest";
import { problem } from "../support/http.ts";
import { api, token, unique } from "../support/worker-client.ts";

const put = (id: string, body: BodyInit) => api.fetch(`/${id}`, { method: "PUT", headers: { authorization: `Bearer ${token}` }, body });

describe("PUT of a definition", () => {
  it.each([
    ["duplicate keys", '{"api":{"a":"async () => 1"},"api":{}}', { path: "/api", code: "duplicate-key" }],
    ["a byte order mark", '\ufeff{"api":{}}', { code: "byte-order-mark", line: 1, column: 1 }],
    ["NUL", '{"api":{"a":"async () => \'\\u0000\'"}}', { path: "/api/a", code: "nul-character" }],
    ["a lone surrogate", '{"config":{"k":"\\ud800"}}', { path: "/config/k", code: "lone-surrogate" }],
  ])("refuses %s with 422 at its place", async (_, body, expected) => {
    const id = unique("bytes");
    const answer = await problem(await put(id, body), 422);
    expect(answer.errors).toEqual([expect.objectContaining(expected)]);
    expect((await api.rpc(id, "a")).status).toBe(404);
  });

  it("refuses invalid UTF-8 instead of reading it as U+FFFD", async () => {
    const body = new Uint8Array([...new TextEncoder().encode('{"api":{"a":"async () => \''), 0xff, ...new TextEncoder().encode("'\"}}")]);
    const answer = await problem(await put(unique("bytes"), body), 422);
    expect(answer.errors).toEqual([expect.objectContaining({ code: "invalid-utf8", line: 1, column: 27 })]);
  });
});

describe("DELETE while calls are in flight", () => {
  it("lets each call finish on the old version or answer 410, never storage text", async () => {
    const id = unique("deleting");
    const slow = "async () => { await $.db.Item.create({ n: 1 }); await new Promise((r) => setTimeout(r, 1000)); try { return (await $.db.Item.list()).length } catch (e) { return String(e.message) } }";
    const count = "async () => (await $.db.Item.list()).length";
    expect((await put(id, JSON.stringify({ api: { slow, count } }))).status).toBe(201);
    const calls = Array.from({ length: 30 }, () => api.rpc(id, "slow"));
    // Deleted once a call has written and is waiting, however busy the machine: a fixed delay raced the calls.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && ((await (await api.rpc(id, "count")).json()) as { result: number }).result === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const removed = await api.fetch(`/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
    expect(removed.status).toBe(204);
    const answers = await Promise.all(calls.map(async (call) => ({ status: (await call).status, text: await (await call).clone().text() })));
    for (const { status, text } of answers) {
      expect([200, 404, 410]).toContain(status);
      expect(text).not.toMatch(/SQLITE|no such table|__documents|__files/i);
      if (status === 200) expect(JSON.parse(text).result).toEqual(expect.any(Number));
    }
    expect(answers.some(({ status }) => status === 410)).toBe(true);
  });
});
