import { describe, expect, it } from "vitest";
import { api, token, unique } from "../support/worker-client.ts";

interface CallRecord {
  method: string;
  ref: string;
  status: string;
  ms: number;
  detail: string | null;
}

const calls = async (id: string) => {
  const response = await api.fetch(`/${id}/__calls`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { calls: CallRecord[] }).calls;
};
const rpc = (id: string, method: string) => api.fetch(`/${id}/rpc`, { method: "POST", body: JSON.stringify({ method }) });

describe("the call log (GET /<id>/__calls)", () => {
  it("records calls answered in the Worker and in the object, ok and failed, newest first", async () => {
    const id = unique("calls");
    expect((await api.put(id, { api: { plain: "async () => 1", stateful: "async () => (await $.db.Note.list()).length", boom: "async () => { throw new Error('kaput') }" } }, token)).status).toBe(201);
    expect((await rpc(id, "plain")).status).toBe(200);
    expect((await rpc(id, "stateful")).status).toBe(200);
    expect((await rpc(id, "boom")).status).toBe(500);
    expect((await rpc(id, "nope")).status).toBe(404);
    // Calls arrive in a batch about two seconds later.
    let seen: CallRecord[] = [];
    for (let i = 0; i < 80 && seen.length < 4; i++) {
      seen = await calls(id);
      if (seen.length < 4) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const byMethod = Object.fromEntries(seen.map((call) => [call.method, call]));
    expect(Object.keys(byMethod).sort()).toEqual(["boom", "nope", "plain", "stateful"]);
    expect(byMethod.plain).toMatchObject({ status: "ok", ref: "latest", detail: null });
    expect(byMethod.stateful).toMatchObject({ status: "ok", ref: "latest" });
    expect(byMethod.boom!.status).toBe("failed");
    expect(byMethod.boom!.detail).toContain("kaput");
    expect(byMethod.nope!.detail).toContain('no method "nope"');
    expect(seen.every((call) => call.ms >= 0)).toBe(true);
  });

  it("counts every call per minute and ref, while the log keeps a sample", async () => {
    const id = unique("counted");
    expect((await api.put(id, { api: { ok: "async () => 1", boom: "async () => { throw new Error('no') }" } }, token)).status).toBe(201);
    // Far more than the log keeps per window (50 ok and 50 failed every 2 s).
    const answers = await Promise.all([...Array.from({ length: 400 }, () => rpc(id, "ok")), ...Array.from({ length: 120 }, () => rpc(id, "boom"))]);
    expect(answers.filter((response) => response.status === 200)).toHaveLength(400);
    const counted = async () => {
      const body = (await (await api.fetch(`/${id}/__calls?limit=1000`, { headers: { authorization: `Bearer ${token}` } })).json()) as { calls: CallRecord[]; minutes: Array<{ ref: string; calls: number; failed: number }> };
      return { logged: body.calls.filter((call) => call.ref !== "*").length, calls: body.minutes.reduce((sum, m) => sum + m.calls, 0), failed: body.minutes.reduce((sum, m) => sum + m.failed, 0) };
    };
    let seen = await counted();
    for (let i = 0; i < 80 && seen.calls < 520; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await counted();
    }
    expect(seen).toMatchObject({ calls: 520, failed: 120 });
    expect(seen.logged).toBeLessThan(520);
  });

  it("is shown to the object's owners only", async () => {
    const id = unique("calls");
    expect((await api.put(id, { api: { plain: "async () => 1" } }, token)).status).toBe(201);
    expect((await api.fetch(`/${id}/__calls`)).status).toBe(401);
  });
});
