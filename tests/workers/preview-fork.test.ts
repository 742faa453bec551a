// Forking production's state into a preview inside workerd's own Durable Objects and R2: documents, inline files and
// files kept in R2 (copied under the preview's prefix), the event log only when asked, redaction, and wipes that
// take the preview's R2 files with them and leave production's.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { api, token, unique } from "../support/worker-client.ts";
import type { CopiedTable, StatePage } from "../../runtime/host/context/state-copy.ts";

const objectOf = (environment: string, id: string) => env.OBJECTS.get(env.OBJECTS.idFromName(`${environment}:${id}`));
// The RPC stub's types lose the page's row arrays: read pages as what the method returns.
const pageOf = async (object: ReturnType<typeof objectOf>, tables: CopiedTable[]) => (await object.exportState(tables)) as StatePage | null;
const keysUnder = async (prefix: string) => (await env.FILES.list({ prefix })).objects.map((object) => object.key);

describe("forking production's state into a preview", () => {
  let id: string;
  let hash: string;
  const definition = (redact: string) => ({
    api: {
      seed: "async () => { await $.db.Person.create({ name: 'Ada', email: 'ada@example.com' }); await $.fsx.write('/small.txt', 'small'); await $.fsx.write('/big.bin', 'x'.repeat(1_500_000)); await $.emit('Person.seeded', {}); }",
    },
    events: { "Person.seeded": "async () => {}" },
    preview: { redact },
    config: { preview: { state: "fork" } },
  });

  beforeAll(async () => {
    id = unique("forked");
    const put = await api.put(id, definition("async () => { for (const p of await $.db.Person.list()) await $.db.Person.update(p.id, { email: 'x' }); }"), token);
    hash = ((await put.json()) as { hash: string }).hash;
    await api.result(id, "seed");
  });

  it("copies documents, inline files and R2 files (under the preview's own prefix), then redacts the copy", async () => {
    const preview = objectOf("preview-fork", id);
    const outcome = await preview.fork({ id, environment: "preview-fork" }, { hash, events: false, maxBytes: 25 * 1024 ** 2 });
    expect(outcome).toMatchObject({ ok: true, redacted: true });
    expect((outcome as { bytes: number }).bytes).toBeGreaterThan(1_500_000);
    const people = await pageOf(preview, ["__documents"]);
    expect(people!.rows.map((row) => JSON.parse(row[people!.columns.indexOf("data")] as string))).toEqual([expect.objectContaining({ name: "Ada", email: "x" })]);
    const files = await pageOf(preview, ["__files"]);
    const blobKeys = files!.rows.map((row) => row[files!.columns.indexOf("blob_key")]).filter(Boolean) as string[];
    expect(blobKeys).toHaveLength(1);
    expect(blobKeys[0]!.startsWith(`fsx/preview-fork/${id}/`)).toBe(true);
    expect((await env.FILES.get(blobKeys[0]!))!.size).toBe(1_500_000);
    // The event log stays behind unless the config asks for it; production's own log is untouched.
    expect(await pageOf(preview, ["__events"])).toBeNull();
    expect((await pageOf(objectOf("production", id), ["__events"]))!.rows.length).toBeGreaterThan(0);
    const withEvents = objectOf("preview-events", id);
    expect(await withEvents.fork({ id, environment: "preview-events" }, { hash, events: true, maxBytes: 25 * 1024 ** 2 })).toMatchObject({ ok: true });
    expect((await pageOf(withEvents, ["__events"]))!.rows.length).toBeGreaterThan(0);
  });

  it("wipes the preview's R2 files with its state, and leaves production's", async () => {
    const preview = objectOf("preview-fork", id);
    expect(await keysUnder(`fsx/preview-fork/${id}/`)).toHaveLength(1);
    await preview.wipe();
    expect(await keysUnder(`fsx/preview-fork/${id}/`)).toEqual([]);
    expect(await keysUnder(`fsx/production/${id}/`)).toHaveLength(1);
    expect(await pageOf(preview, ["__documents", "__files"])).toBeNull();
  });

  it("refuses production's state over the bound, and starts empty when preview.redact fails", async () => {
    const preview = objectOf("preview-small", id);
    const refused = await preview.fork({ id, environment: "preview-small" }, { hash, events: false, maxBytes: 1024 * 1024 });
    expect(refused).toMatchObject({ ok: false, reason: expect.stringMatching(/production's state is [\d.]+ MiB, over the 1\.00 MiB a preview may fork/) });
    expect(await pageOf(preview, ["__documents"])).toBeNull();

    const failing = ((await (await api.put(id, definition("async () => { throw new Error('scrubber broke'); }"), token)).json()) as { hash: string }).hash;
    const broken = objectOf("preview-broken", id);
    const outcome = await broken.fork({ id, environment: "preview-broken" }, { hash: failing, events: false, maxBytes: 25 * 1024 ** 2 });
    expect(outcome).toMatchObject({ ok: false, reason: expect.stringContaining("preview.redact failed") });
    expect(outcome).toMatchObject({ reason: expect.stringContaining("scrubber broke") });
    expect(await pageOf(broken, ["__documents", "__files"])).toBeNull();
    expect(await keysUnder(`fsx/preview-broken/${id}/`)).toEqual([]);
  });
});
