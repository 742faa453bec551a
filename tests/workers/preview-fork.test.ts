// Forking production's state into a preview inside workerd's own Durable Objects, facets and R2: the preview's facet
// is a clone of production's (documents, inline files, files kept in R2), redacted before it serves; the event log
// only when asked; production's large files stay readable in the preview whatever production does later; wipes take
// the preview's own R2 files with them and leave production's.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { api, token, unique } from "../support/worker-client.ts";
import { publishToRef } from "../support/publish-ref.ts";

const hostOf = (id: string) => env.OBJECTS.get(env.OBJECTS.idFromName(`production:${id}`));
const keysUnder = async (prefix: string) => (await env.FILES.list({ prefix })).objects.map((object) => object.key);
const auth = { authorization: `Bearer ${token}` };
async function call(path: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await api.fetch(`/${path}/rpc`, { method: "POST", headers: auth, body: JSON.stringify({ method, params }) });
  const body = (await response.json()) as { result?: unknown };
  if (response.status !== 200) throw new Error(`${path} ${method}: ${response.status} ${JSON.stringify(body)}`);
  return body.result;
}
const eventsOf = async (path: string) => ((await (await api.fetch(`/${path}/__events`, { headers: auth })).json()) as { events: unknown[] }).events;

describe("forking production's state into a preview", () => {
  let id: string;
  let hash: string;
  const definition = (redact: string) => ({
    api: {
      seed: "async () => { await $.db.Person.create({ name: 'Ada', email: 'ada@example.com' }); await $.fsx.write('/small.txt', 'small'); await $.fsx.write('/big.bin', 'x'.repeat(1_500_000)); await $.emit('Person.seeded', {}); }",
      people: "async () => $.db.Person.list()",
      big: "async () => (await $.fsx.read('/big.bin')).length",
      small: "async () => $.fsx.read('/small.txt')",
      drop: "async (path) => $.fsx.delete(path)",
      write: "async (path, size) => $.fsx.write(path, 'y'.repeat(size))",
    },
    events: { "Person.seeded": "async () => {}" },
    preview: { redact },
    config: { preview: { state: "fork" } },
  });
  const scrub = "async () => { for (const p of await $.db.Person.list()) await $.db.Person.update(p.id, { email: 'x' }); }";

  beforeAll(async () => {
    id = unique("forked");
    const put = await api.put(id, definition(scrub), token);
    hash = ((await put.json()) as { hash: string }).hash;
    await api.result(id, "seed");
    for (const topic of ["fork", "events", "small", "broken"]) await publishToRef(id, definition(scrub), `preview-${topic}`);
  });

  it("clones documents, inline files and R2 files, then redacts the clone; production keeps its own", async () => {
    const outcome = await hostOf(id).fork({ id, environment: "preview-fork" }, { hash, events: false, maxBytes: 25 * 1024 ** 2 });
    expect(outcome).toMatchObject({ ok: true, redacted: true });
    expect((outcome as { bytes: number }).bytes).toBeGreaterThan(1_500_000);
    expect(await call(`${id}@preview-fork`, "people")).toEqual([expect.objectContaining({ name: "Ada", email: "x" })]);
    expect(await call(`${id}@preview-fork`, "small")).toBe("small");
    expect(await call(`${id}@preview-fork`, "big")).toBe(1_500_000);
    expect(await call(id, "people")).toEqual([expect.objectContaining({ email: "ada@example.com" })]);
    // The event log stays behind unless the config asks for it; production's own log is untouched.
    expect(await eventsOf(`${id}@preview-fork`)).toEqual([]);
    expect((await eventsOf(id)).length).toBeGreaterThan(0);
    expect(await hostOf(id).fork({ id, environment: "preview-events" }, { hash, events: true, maxBytes: 25 * 1024 ** 2 })).toMatchObject({ ok: true });
    expect((await eventsOf(`${id}@preview-events`)).length).toBeGreaterThan(0);
  });

  it("keeps production's large files readable in the preview after production deletes them, and writes its own under its prefix", async () => {
    await call(`${id}@preview-fork`, "write", ["/own.bin", 1_200_000]);
    expect(await keysUnder(`fsx/preview-fork/${id}/`)).toHaveLength(1);
    expect(await call(id, "drop", ["/big.bin"])).toBe(true);
    expect(await call(`${id}@preview-fork`, "big")).toBe(1_500_000);
    // Deleting the clone's copy of a production file leaves production's blob to production.
    expect(await call(`${id}@preview-fork`, "drop", ["/big.bin"])).toBe(true);
    expect(await keysUnder(`fsx/production/${id}/`)).toHaveLength(1);
  });

  it("wipes the preview's R2 files with its state, and leaves production's", async () => {
    await hostOf(id).wipe({ id, environment: "preview-fork" });
    expect(await keysUnder(`fsx/preview-fork/${id}/`)).toEqual([]);
    expect(await keysUnder(`fsx/production/${id}/`)).toHaveLength(1);
    expect(await call(`${id}@preview-fork`, "people")).toEqual([]);
    expect(await call(id, "people")).toHaveLength(1);
  });

  it("refuses production's state over the bound, and starts empty when preview.redact fails", async () => {
    await call(id, "write", ["/again.bin", 1_500_000]);
    const refused = await hostOf(id).fork({ id, environment: "preview-small" }, { hash, events: false, maxBytes: 1024 * 1024 });
    expect(refused).toMatchObject({ ok: false, reason: expect.stringMatching(/production's state is [\d.]+ MiB, over the 1\.00 MiB a preview may fork/) });
    expect(await call(`${id}@preview-small`, "people")).toEqual([]);

    const broken = definition("async () => { throw new Error('scrubber broke'); }");
    const failing = await publishToRef(id, broken, "preview-broken");
    const outcome = await hostOf(id).fork({ id, environment: "preview-broken" }, { hash: failing, events: false, maxBytes: 25 * 1024 ** 2 });
    expect(outcome).toMatchObject({ ok: false, reason: expect.stringContaining("preview.redact failed") });
    expect(outcome).toMatchObject({ reason: expect.stringContaining("scrubber broke") });
    expect(await call(`${id}@preview-broken`, "people")).toEqual([]);
    expect(await keysUnder(`fsx/preview-broken/${id}/`)).toEqual([]);
  });
});
