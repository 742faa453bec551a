import { describe, expect, it } from "vitest";
import type { UsageReport } from "../../schemas/index.ts";
import { problem } from "../support/http.ts";
import { signToken } from "../support/tokens.ts";
import { api, token, unique } from "../support/worker-client.ts";

const rpc = (path: string, headers: Record<string, string> = {}, method = "which") => api.fetch(`${path}/rpc`, { method: "POST", headers, body: JSON.stringify({ method }) });
const usage = async (id: string, query = "") => {
  const response = await api.fetch(`/${id}/__usage${query}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as UsageReport;
};

/** Usage arrives in the journal's batch about two seconds after the calls. */
async function usageOnce(id: string, calls: number, query = ""): Promise<UsageReport> {
  let report = await usage(id, query);
  for (let i = 0; i < 80 && report.total.calls < calls; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    report = await usage(id, query);
  }
  return report;
}

describe("usage evidence (GET /<id>/__usage)", () => {
  it("counts every call by version, ref as named, caller and day, past the call log's sample", async () => {
    const id = unique("usage");
    const first = (await (await api.put(id, { $version: "1.0.0", api: { which: "async () => 1" } }, token)).json()) as { hash: string };
    const second = (await (await api.put(id, { $version: "1.1.0", api: { which: "async () => 2", boom: "async () => { throw new Error('x') }" } }, token)).json()) as { hash: string };

    // 70 calls of latest by the web app (more than the 50 per window the call log keeps), 5 pinned to v1.0.0 by a
    // worker, 3 anonymous calls of @v1.0.0 by URL, 2 failed calls.
    const sent: Promise<Response>[] = [];
    for (let i = 0; i < 70; i++) sent.push(rpc(`/${id}`, { "objects-caller": "web" }));
    for (let i = 0; i < 5; i++) sent.push(rpc(`/${id}`, { "objects-caller": "billing-worker", "objects-version": "v1.0.0" }));
    for (let i = 0; i < 3; i++) sent.push(rpc(`/${id}@v1.0.0`));
    for (let i = 0; i < 2; i++) sent.push(rpc(`/${id}`, { "objects-caller": "web" }, "boom"));
    const statuses = (await Promise.all(sent)).map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(78);

    const report = await usageOnce(id, 80);
    expect(report).toMatchObject({ id, environment: "production", days: 30, total: { calls: 80, failed: 2 } });
    const byHash = Object.fromEntries(report.versions.map((v) => [v.hash, v]));
    expect(byHash[second.hash]).toMatchObject({ calls: 72, failed: 2, refs: ["latest"] });
    expect(byHash[first.hash]).toMatchObject({ calls: 8, failed: 0 });
    expect(byHash[first.hash]!.refs.sort()).toEqual(["latest", "v1.0.0"]);
    expect(Object.fromEntries(report.callers.map((c) => [c.caller, c.calls]))).toEqual({ web: 72, "billing-worker": 5, anonymous: 3 });
    expect(report.daily).toEqual([{ day: new Date().toISOString().slice(0, 10), calls: 80, failed: 2 }]);
    expect(Date.parse(byHash[first.hash]!.lastSeen)).toBeGreaterThan(Date.now() - 60_000);

    // One ref as named, or one version by hash prefix.
    expect((await usage(id, "?ref=v1.0.0")).total.calls).toBe(3);
    const one = await usage(id, `?ref=${first.hash.slice(0, 10)}`);
    expect(one.total.calls).toBe(8);
    expect(one.versions.map((v) => v.hash)).toEqual([first.hash]);
  });

  it("is for the object's owners, and names a bad ref", async () => {
    const id = unique("usage");
    expect((await api.put(id, { api: { which: "async () => 1" } }, token)).status).toBe(201);
    expect((await api.fetch(`/${id}/__usage`)).status).toBe(401);
    const other = await api.fetch(`/${id}/__usage`, { headers: { authorization: `Bearer ${await signToken({ scope: "other.do" })}` } });
    expect(other.status).toBe(403);
    expect((await problem(await api.fetch(`/${id}/__usage?ref=${encodeURIComponent("a..b")}`, { headers: { authorization: `Bearer ${token}` } }), 400)).code).toBe("ref-invalid");
    expect(await usage(id)).toMatchObject({ total: { calls: 0, failed: 0 }, versions: [], callers: [] });
  });
});

describe("retiring a version (POST /<id>/retire)", () => {
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const retire = (id: string, body: unknown) => api.fetch(`/${id}/__retire`, { method: "POST", headers: auth, body: JSON.stringify(body) });

  it("is refused while the version was called, or is what latest serves; forced, it answers 410 to calls naming it", async () => {
    const id = unique("retire");
    const first = (await (await api.put(id, { $version: "1.0.0", api: { which: "async () => 1" } }, token)).json()) as { hash: string };
    expect((await rpc(`/${id}@v1.0.0`, { "objects-caller": "old-app" })).status).toBe(200);
    await api.put(id, { $version: "2.0.0", api: { which: "async () => 2" } }, token);
    await usageOnce(id, 1);

    const serving = await problem(await retire(id, { ref: "v2.0.0" }), 409);
    expect(serving).toMatchObject({ code: "version-serving" });
    expect(serving.detail).toContain("latest");
    const inUse = await problem(await retire(id, { ref: "v1.0.0" }), 409);
    expect(inUse.code).toBe("version-in-use");
    expect(inUse.detail).toMatch(/answered 1 calls in the last 30 days/);
    expect((await problem(await retire(id, { ref: "^1" }), 400)).code).toBe("retire-body-invalid");
    expect((await problem(await retire(id, { ref: "v1.0.0", days: 400 }), 400)).code).toBe("retire-body-invalid");
    expect((await rpc(`/${id}@v1.0.0`)).status).toBe(200);

    const forced = await retire(id, { ref: "v1.0.0", force: true });
    expect(forced.status).toBe(200);
    expect(await forced.json()).toMatchObject({ id, hash: first.hash, versions: ["1.0.0"], retired: true, usage: { days: 30, calls: 1 } });
    // By version, by hash, by pin: 410 naming what to call instead. latest and a range that moved on still answer.
    for (const [path, headers] of [[`/${id}@v1.0.0`, {}], [`/${id}@${first.hash.slice(0, 8)}`, {}], [`/${id}`, { "objects-version": "v1.0.0" }]] as const) {
      const refused = await problem(await rpc(path, headers), 410);
      expect(refused.code).toBe("version-retired");
      expect(refused.detail).toContain(`${id}@latest (v2.0.0 when it was retired)`);
    }
    expect(await (await rpc(`/${id}`)).json()).toEqual({ result: 2 });
    expect((await problem(await rpc(`/${id}@^1`), 404)).code).toBe("ref-not-found");
    const versions = (await (await api.fetch(`/${id}`, { headers: { ...auth, accept: "application/json" } })).json()) as { versions: Record<string, string> };
    expect(versions.versions["1.0.0"]).toBe(first.hash);
    const history = (await (await api.fetch(`/${id}/versions`, { headers: auth })).json()) as { retired?: Record<string, unknown> };
    expect(history.retired?.[first.hash]).toMatchObject({ calls: 1, replacedBy: { version: "2.0.0" } });

    // Restored, it answers again; restoring twice names the mistake.
    expect(await (await retire(id, { ref: "v1.0.0", restore: true })).json()).toMatchObject({ retired: false });
    expect(await (await rpc(`/${id}@v1.0.0`)).json()).toEqual({ result: 1 });
    expect((await problem(await retire(id, { ref: "v1.0.0", restore: true }), 404)).code).toBe("not-retired");
  });

  it("retires a version nobody called without force, for its owners only", async () => {
    const id = unique("retire");
    await api.put(id, { $version: "1.0.0", api: { which: "async () => 1" } }, token);
    await api.put(id, { $version: "1.1.0", api: { which: "async () => 2" } }, token);
    const other = await api.fetch(`/${id}/__retire`, { method: "POST", headers: { ...auth, authorization: `Bearer ${await signToken({ scope: "other.do" })}` }, body: '{"ref":"v1.0.0"}' });
    expect(other.status).toBe(403);
    expect(await (await retire(id, { ref: "1.0.0" })).json()).toMatchObject({ retired: true, usage: { calls: 0, lastSeen: null } });
    expect((await problem(await rpc(`/${id}@v1.0.0`), 410)).code).toBe("version-retired");
  });
});
