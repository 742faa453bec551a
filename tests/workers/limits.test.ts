import { describe, expect, it } from "vitest";
import { problem } from "../support/http.ts";
import { signToken } from "../support/tokens.ts";
import { api, token, unique } from "../support/worker-client.ts";

const rpc = (id: string, headers: Record<string, string> = {}) => api.fetch(`/${id}/rpc`, { method: "POST", headers, body: '{"method":"ping"}' });
const limited = async (limits: object) => {
  const id = unique("limited");
  const response = await api.put(id, { api: { ping: "async () => 'pong'", put: "async (text) => $.db.Note.create({ text })", quiet: "async (text) => { try { await $.db.Note.create({ text }); return 'stored' } catch { return 'caught' } }", count: "async () => (await $.db.Note.list()).length" }, config: { limits } }, token);
  expect(response.status).toBe(201);
  return id;
};

describe("rate limits", () => {
  it("answers 429 with Retry-After once the object has used its requests for the minute", async () => {
    const id = await limited({ requestsPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await rpc(id)).status).toBe(200);
    const refused = await rpc(id);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect((await problem(refused, 429)).code).toBe("rate-limited");
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
  });

  it("is exact under concurrency: of 20 simultaneous calls, exactly the limit get through", async () => {
    const id = await limited({ requestsPerMinute: 5 });
    const statuses = await Promise.all(Array.from({ length: 20 }, () => rpc(id).then((response) => response.status)));
    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15);
  });

  it("limits each caller on its own: by token subject, else by client address", async () => {
    const id = await limited({ perCallerPerMinute: 2 });
    const alice = { authorization: `Bearer ${await signToken({ claims: { sub: "alice" } })}` };
    const bob = { authorization: `Bearer ${await signToken({ claims: { sub: "bob" } })}` };
    expect([(await rpc(id, alice)).status, (await rpc(id, alice)).status, (await rpc(id, alice)).status]).toEqual([200, 200, 429]);
    expect((await rpc(id, bob)).status).toBe(200);
    const ip = (address: string) => ({ "cf-connecting-ip": address });
    expect([(await rpc(id, ip("203.0.113.1"))).status, (await rpc(id, ip("203.0.113.1"))).status]).toEqual([200, 200]);
    expect((await problem(await rpc(id, ip("203.0.113.1")), 429)).code).toBe("rate-limited-caller");
    expect((await rpc(id, ip("203.0.113.2"))).status).toBe(200);
  });

  it("applies to every surface of the object, pages and the API included", async () => {
    const id = await limited({ requestsPerMinute: 1 });
    expect((await api.fetch(`/${id}@latest/api/ping`)).status).toBe(200);
    expect((await problem(await api.fetch(`/${id}@latest/__schema`), 429)).code).toBe("rate-limited");
  });

  it("refuses limits beyond the platform's maxima at publish", async () => {
    const body = await problem(await api.put(unique("greedy"), { config: { limits: { requestsPerMinute: 10_000_000, storageBytes: 10 } } }, token), 422);
    expect(body.errors!.map((issue) => issue.path).sort()).toEqual(["/config/limits/requestsPerMinute", "/config/limits/storageBytes"]);
  });
});

describe("storage quota", () => {
  it("refuses writes past config.limits.storageBytes with 507, keeping what was stored", async () => {
    const id = await limited({ storageBytes: 400_000 });
    const note = "x".repeat(60_000);
    const statuses: number[] = [];
    for (let i = 0; i < 12 && !statuses.includes(507); i++) {
      const response = await api.fetch(`/${id}/rpc`, { method: "POST", body: JSON.stringify({ method: "put", params: [note] }) });
      statuses.push(response.status);
      if (response.status === 507) expect((await problem(response, 507)).code).toBe("storage-quota");
    }
    expect(statuses.at(-1)).toBe(507);
    // The facet answers these calls with no host crossing: its reply carries the refusal, which a catch cannot hide.
    const quiet = await api.fetch(`/${id}/rpc`, { method: "POST", body: JSON.stringify({ method: "quiet", params: [note] }) });
    expect((await problem(quiet, 507)).code).toBe("storage-quota");
    const stored = statuses.filter((status) => status === 200).length;
    expect(stored).toBeGreaterThan(2);
    expect(await api.result(id, "count")).toBe(stored);
  });

  it("counts files held in R2 as they are written and deleted: a deletion makes room at once", async () => {
    const id = unique("limited-files");
    // Files over 1 MB go to R2: three of 1.2 MB do not fit in 3.5 MB, two do.
    const definition = { api: { write: "async (path) => $.fsx.write(path, 'x'.repeat(1_200_000))", remove: "async (path) => $.fsx.delete(path)" }, config: { limits: { storageBytes: 3_500_000 } } };
    expect((await api.put(id, definition, token)).status).toBe(201);
    const write = (path: string) => api.fetch(`/${id}/rpc`, { method: "POST", body: JSON.stringify({ method: "write", params: [path] }) });
    expect((await write("/a.bin")).status).toBe(200);
    expect((await write("/b.bin")).status).toBe(200);
    expect((await problem(await write("/c.bin"), 507)).code).toBe("storage-quota");
    expect(await api.result(id, "remove", ["/a.bin"])).toBe(true);
    expect((await write("/c.bin")).status).toBe(200);
    expect((await problem(await write("/d.bin"), 507)).code).toBe("storage-quota");
  });
});
