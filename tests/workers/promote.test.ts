import { describe, expect, it } from "vitest";
import { problem } from "../support/http.ts";
import { api, token, unique } from "../support/worker-client.ts";

const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
const post = (path: string, body: unknown) => api.fetch(path, { method: "POST", headers: auth, body: JSON.stringify(body) });

describe("rollback and promote move latest, and say what that changes", () => {
  it("rolls back to a version and promotes the newer one again, each with its contract diff and provenance", async () => {
    const id = unique("promote");
    expect((await api.put(id, { $version: "1.0.0", api: { hi: "async (name) => name" } }, token)).status).toBe(201);
    const second = (await (await api.put(id, { $version: "1.1.0", api: { hi: "async (name) => name", bye: "async () => 'bye'" } }, token)).json()) as { hash: string };

    const rollback = await post(`/${id}/rollback`, { to: "v1.0.0" });
    expect(rollback.status).toBe(200);
    const rolled = (await rollback.json()) as { previous: string; diff: { breaking: boolean; changes: Array<{ kind: string; name: string; change: string }> } };
    expect(rolled.previous).toBe(second.hash);
    expect(rolled.diff.breaking).toBe(true);
    expect(rolled.diff.changes).toContainEqual(expect.objectContaining({ kind: "method", name: "bye", change: "removed" }));
    expect((await api.fetch(`/${id}/rpc`, { method: "POST", body: '{"method":"bye"}' })).status).toBe(404);

    const promote = await post(`/${id}/promote`, { from: "v1.1.0" });
    expect(promote.status).toBe(200);
    const promoted = (await promote.json()) as { latest: string; diff: { breaking: boolean; changes: Array<{ change: string }> } };
    expect(promoted.latest).toBe(second.hash);
    expect(promoted.diff).toMatchObject({ breaking: false, changes: [{ change: "added" }, { change: "added" }] });
    expect(((await (await api.fetch(`/${id}/rpc`, { method: "POST", body: '{"method":"bye"}' })).json()) as { result: string }).result).toBe("bye");

    const versions = (await (await api.fetch(`/${id}/versions`, { headers: auth })).json()) as { publications: Array<{ provenance: { message?: string } }> };
    expect(versions.publications.slice(0, 2).map((p) => p.provenance.message)).toEqual(["promote v1.1.0", "rollback to v1.0.0"]);
  });

  it("describes the definition at any ref, and refuses a promote without a source", async () => {
    const id = unique("promote");
    expect((await api.put(id, { $version: "1.0.0", api: { hi: "async () => 1" } }, token)).status).toBe(201);
    expect((await api.put(id, { $version: "2.0.0", api: { hi: "async () => 2" } }, token)).status).toBe(201);
    const described = (await (await api.fetch(`/${id}@v1.0.0`, { headers: { ...auth, accept: "application/json" } })).json()) as { ref: string; definition: { api: { hi: string } } };
    expect(described).toMatchObject({ ref: "v1.0.0", definition: { api: { hi: "async () => 1" } } });
    expect((await problem(await post(`/${id}/promote`, { to: "v1.0.0" }), 400)).code).toBe("promote-body-invalid");
    expect((await problem(await post(`/${id}/promote`, { from: "v9.0.0" }), 404)).detail).toContain("9.0.0");
    expect((await api.fetch(`/${id}/promote`, { method: "POST", body: '{"from":"v1.0.0"}' })).status).toBe(401);
  });
});
