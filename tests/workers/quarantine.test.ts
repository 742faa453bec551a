// A quarantined version (the local supervisor saw it freeze or kill the runtime) answers 503 and runs nothing.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { problem } from "../support/http.ts";
import { api, token, unique } from "../support/worker-client.ts";
import { doRefStore } from "../../registry/store/index.ts";

const refs = () => doRefStore({ shards: env.REF_SHARDS, legacy: env.REFS, index: env.INDEX });

describe("a quarantined version", () => {
  it("answers 503 quarantined (logged in __calls), shows in GET /<id>, and runs again once released", async () => {
    const id = unique("quarantined");
    const put = await api.put(id, { api: { go: "async () => 'ran'" } }, token);
    const { hash } = (await put.json()) as { hash: string };
    await refs().quarantine(id, hash, { reason: "it froze the local runtime", at: "2026-12-01T00:00:00.000Z", what: "method go", environment: "production" });
    // The Worker trusts its resolved refs for a second: ask until the quarantine shows.
    let response = await api.rpc(id, "go");
    for (let i = 0; i < 50 && response.status !== 503; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      response = await api.rpc(id, "go");
    }
    const refused = await problem(response, 503);
    expect(refused).toMatchObject({ code: "quarantined", detail: expect.stringContaining("it froze the local runtime (method go)") });
    const described = (await (await api.fetch(`/${id}`, { headers: { accept: "application/json", authorization: `Bearer ${token}` } })).json()) as { quarantined: Record<string, unknown> };
    expect(Object.keys(described.quarantined)).toEqual([hash]);
    // The call log arrives in a batch about two seconds later.
    const logged = async () => ((await (await api.fetch(`/${id}/__calls`, { headers: { authorization: `Bearer ${token}` } })).json()) as { calls: Array<{ status: string; detail: string }> }).calls;
    let calls = await logged();
    for (let i = 0; i < 80 && !calls.some((call) => call.detail?.includes("quarantined")); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      calls = await logged();
    }
    expect(calls.filter((call) => call.detail?.includes("quarantined")).length).toBeGreaterThan(0);
    expect(calls.every((call) => call.status === "failed")).toBe(true);
    const released = await api.fetch(`/${id}/release`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ hash }) });
    expect(released.status).toBe(200);
    expect(await api.result(id, "go")).toBe("ran");
    expect((await problem(await api.fetch(`/${id}/release`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ hash }) }), 404)).code).toBe("not-quarantined");
  });

  it("refuses the supervisor's report without the supervisor's secret", async () => {
    expect((await api.fetch("/_/supervisor/quarantine", { method: "POST", body: JSON.stringify({ quarantines: [] }) })).status).toBe(404);
  });
});
