import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signToken } from "../support/tokens.ts";
import { api, token } from "../support/worker-client.ts";

const get = async <T>(path: string, bearer = token) => {
  const response = await api.fetch(path, { headers: { authorization: `Bearer ${bearer}` } });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
};
interface Listing {
  objects: Array<{ id: string; latest: string | null; source: string }>;
  next: string | null;
}

describe("GET /_/objects and the history with diffs", () => {
  it("lists the objects a token's scope covers, in id order, page by page", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const ids = [`c.${tag}.test`, `a.${tag}.test`, `b.${tag}.test`];
    const hashes: Record<string, string> = {};
    for (const id of ids) hashes[id] = ((await (await api.put(id, { api: { hi: "async () => 1" } }, token)).json()) as { hash: string }).hash;
    expect((await api.put(`outside-${tag}.do`, { api: { hi: "async () => 1" } }, token)).status).toBe(201);

    const narrow = await signToken({ scope: `*.${tag}.test` });
    const all = await get<Listing>("/_/objects?limit=500", narrow);
    expect(all.objects.map((o) => o.id)).toEqual([`a.${tag}.test`, `b.${tag}.test`, `c.${tag}.test`]);
    expect(all.objects[0]).toMatchObject({ latest: hashes[`a.${tag}.test`], source: "api" });
    expect(all.next).toBeNull();
    const first = await get<Listing>("/_/objects?limit=2", narrow);
    expect(first.objects.map((o) => o.id)).toEqual([`a.${tag}.test`, `b.${tag}.test`]);
    const rest = await get<Listing>(`/_/objects?limit=2&after=${first.next}`, narrow);
    expect(rest.objects.map((o) => o.id)).toEqual([`c.${tag}.test`]);
    expect((await api.fetch("/_/objects")).status).toBe(401);

    const deleted = await api.fetch(`/a.${tag}.test`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
    expect(deleted.status).toBe(204);
    expect((await get<Listing>("/_/objects?limit=500", narrow)).objects.map((o) => o.id)).toEqual([`b.${tag}.test`, `c.${tag}.test`]);
  });

  it("gives each publication its contract diff against the one it replaced (?diffs=1)", async () => {
    const id = `diffs-${crypto.randomUUID().slice(0, 8)}.do`;
    await api.put(id, { api: { hi: "async (a) => a" } }, token);
    await api.put(id, { api: { hi: "async (a, b) => a + b" } }, token);
    const history = await get<{ publications: Array<{ seq: number; diff: { from: unknown; breaking: boolean; changes: unknown[] } }> }>(`/${id}/versions?diffs=1`);
    expect(history.publications.map((p) => p.diff.breaking)).toEqual([true, false]);
    expect(history.publications[1]!.diff.from).toBeNull();
  });

  it("rebuilds the index from the snapshots (POST /_/index/rebuild, a page per call, admins only)", async () => {
    const id = `reindexed-${crypto.randomUUID().slice(0, 8)}.do`;
    const { hash } = (await (await api.put(id, { api: { hi: "async () => 1" } }, token)).json()) as { hash: string };
    // As if it had been published before the index existed.
    await env.INDEX.get(env.INDEX.idFromName("all")).drop(id);
    const scoped = await signToken({ scope: id });
    expect((await get<Listing>("/_/objects?limit=500", scoped)).objects).toEqual([]);
    expect((await api.fetch("/_/index/rebuild", { method: "POST", headers: { authorization: `Bearer ${scoped}` } })).status).toBe(403);
    let cursor: string | null = "";
    for (let page = 0; page < 200 && cursor !== null; page++) {
      const response = await api.fetch(`/_/index/rebuild${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      cursor = ((await response.json()) as { cursor: string | null }).cursor;
    }
    expect(cursor).toBeNull();
    expect((await get<Listing>("/_/objects?limit=500", scoped)).objects).toEqual([expect.objectContaining({ id, latest: hash, source: "api" })]);
  });
});
