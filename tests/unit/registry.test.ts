import { describe, expect, it } from "vitest";
import { ObjectsError, problemResponse } from "../../core/index.ts";
import { createRegistry, parseRef, snapshotKey, type BlobStore, type RefStore } from "../../registry/index.ts";
import { memoryBlobStore, memoryObjectIndex, memoryRefStore } from "../support/memory-stores.ts";

const clock = () => new Date("2026-11-25T12:00:00Z");
const definition = (n: number) => ({ $id: "crm.acme.com", api: { n: `async () => ${n}` } });
const provenance = { source: "api" as const, actor: "tester" };

describe("the registry", () => {
  it("stores a snapshot under its content hash and moves latest", async () => {
    const blobs = memoryBlobStore();
    const registry = createRegistry({ blobs, refs: memoryRefStore(), now: clock });
    const result = await registry.publish({ definition: definition(1), provenance, version: "1.0.0" });
    expect(result).toMatchObject({ stored: true, changed: true });
    const snapshot = await registry.snapshot(result.hash);
    expect(snapshot).toEqual({ hash: result.hash, definition: definition(1), provenance: { ...provenance, at: "2026-11-25T12:00:00.000Z" } });
    expect(await registry.resolve("crm.acme.com", parseRef("^1"))).toBe(result.hash);
    expect(await blobs.get(snapshotKey(result.hash))).not.toBeNull();
  });

  it("stores nothing new when identical content is published again", async () => {
    const registry = createRegistry({ blobs: memoryBlobStore(), refs: memoryRefStore(), now: clock });
    const first = await registry.publish({ definition: definition(1), provenance });
    expect(await registry.publish({ definition: definition(1), provenance })).toEqual({ hash: first.hash, stored: false, changed: false, previous: { latest: first.hash } });
  });

  it("leaves every ref untouched when the blob write fails (C4)", async () => {
    const refs = memoryRefStore();
    const good = createRegistry({ blobs: memoryBlobStore(), refs, now: clock });
    const live = await good.publish({ definition: definition(1), provenance });
    const failingBlobs: BlobStore = { putIfAbsent: () => Promise.reject(new ObjectsError("blobs-unavailable", "R2 down")), get: () => Promise.resolve(null), list: () => Promise.resolve({ keys: [], cursor: null }) };
    const broken = createRegistry({ blobs: failingBlobs, refs, now: clock });
    await expect(broken.publish({ definition: definition(2), provenance })).rejects.toMatchObject({ code: "blobs-unavailable", retryable: true });
    expect((await refs.read("crm.acme.com")).refs.latest).toBe(live.hash);
  });

  it("leaves an orphan blob, never a ref to nothing, when the ref swap fails; a retry completes (C5)", async () => {
    const blobs = memoryBlobStore();
    const refs = memoryRefStore();
    const failingRefs: RefStore = { ...refs, publish: () => Promise.reject(new ObjectsError("refs-unavailable", "DO down")) };
    await expect(createRegistry({ blobs, refs: failingRefs, now: clock }).publish({ definition: definition(3), provenance })).rejects.toMatchObject({ code: "refs-unavailable" });
    expect((await refs.read("crm.acme.com")).refs).toEqual({});
    const retried = await createRegistry({ blobs, refs, now: clock }).publish({ definition: definition(3), provenance });
    expect(retried).toMatchObject({ stored: false, changed: true });
  });

  it("rolls latest back to what a ref names, as a recorded publication", async () => {
    const registry = createRegistry({ blobs: memoryBlobStore(), refs: memoryRefStore(), now: clock });
    const v1 = await registry.publish({ definition: definition(1), provenance, version: "1.0.0" });
    const v2 = await registry.publish({ definition: definition(2), provenance, version: "2.0.0" });
    expect(await registry.moveLatest("crm.acme.com", parseRef("v1.0.0"), "ops")).toEqual({ hash: v1.hash, previous: v2.hash });
    const state = await registry.state("crm.acme.com");
    expect(state.refs.latest).toBe(v1.hash);
    expect(state.publications.at(-1)?.provenance).toMatchObject({ message: "rollback", actor: "ops" });
  });

  it("answers object-not-found for objects that never published", async () => {
    const registry = createRegistry({ blobs: memoryBlobStore(), refs: memoryRefStore(), now: clock });
    await expect(registry.resolve("nope.do", parseRef("latest"))).rejects.toMatchObject({ code: "object-not-found", status: 404 });
    await expect(registry.moveLatest("nope.do", parseRef("latest"))).rejects.toMatchObject({ code: "object-not-found" });
  });
});

describe("problem responses", () => {
  it("hide an unclassified error's text behind a request id that is also logged", async () => {
    const logged: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      const response = problemResponse(new TypeError("secret internals at db.ts:12"));
      const body = (await response.json()) as { code: string; detail: string; requestId: string };
      expect(response.status).toBe(500);
      expect(body).toMatchObject({ code: "internal-error", detail: "an internal error occurred" });
      expect(JSON.stringify(body)).not.toContain("secret");
      expect(String(logged[0]?.[0])).toContain(body.requestId);
    } finally {
      console.error = original;
    }
  });

  it("carry the kind's status, candidates and headers of a classified error", async () => {
    const response = problemResponse(new ObjectsError("refs-unavailable", "down", { headers: { "retry-after": "1" } }));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });

  it("keeps the object index current: latest after publish, rollback and branch publishes; dropped on delete", async () => {
    const registry = createRegistry({ blobs: memoryBlobStore(), refs: memoryRefStore(), index: memoryObjectIndex(), now: clock });
    const one = await registry.publish({ definition: definition(1), provenance: { ...provenance, message: "first\nbody" }, version: "1.0.0" });
    const two = await registry.publish({ definition: definition(2), provenance });
    await registry.publish({ definition: definition(3), provenance, refs: ["pr-1"] });
    expect(await registry.list({ limit: 10 })).toEqual([{ id: "crm.acme.com", latest: two.hash, updatedAt: "2026-11-25T12:00:00.000Z", source: "api" }]);
    await registry.moveLatest("crm.acme.com", parseRef("v1.0.0"), "ops");
    expect((await registry.list({ limit: 10 }))[0]).toMatchObject({ latest: one.hash, message: "rollback" });
    await registry.publish({ definition: { ...definition(1), $id: "a.do" }, provenance });
    expect((await registry.list({ limit: 10 })).map((entry) => entry.id)).toEqual(["a.do", "crm.acme.com"]);
    expect((await registry.list({ after: "a.do", limit: 10 })).map((entry) => entry.id)).toEqual(["crm.acme.com"]);
    await registry.remove("crm.acme.com");
    expect((await registry.list({ limit: 10 })).map((entry) => entry.id)).toEqual(["a.do"]);
  });
});
