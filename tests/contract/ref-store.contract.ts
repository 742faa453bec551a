// The RefStore contract: one suite, run against the in-memory fake (Node) and RefsDO (workerd).
import { describe, expect, it } from "vitest";
import type { PublishCommand, RefStore } from "../../registry/index.ts";

const h = (c: string) => c.repeat(64);
const provenance = { source: "api" as const, at: "2026-01-01T00:00:00.000Z" };
const EMPTY = { refs: {}, versions: {}, commits: {}, gone: {}, publications: [] };
const command = (hash: string, extra: Partial<PublishCommand> = {}): PublishCommand => ({ hash, refs: ["latest"], provenance, ...extra });

export function refStoreContract(name: string, make: () => RefStore): void {
  describe(`RefStore contract: ${name}`, () => {
    const id = () => `obj-${crypto.randomUUID().slice(0, 8)}.do`;

    it("reads an object that never published as empty", async () => {
      expect(await make().read(id())).toEqual(EMPTY);
    });

    it("moves refs, records the version and appends a publication", async () => {
      const store = make();
      const x = id();
      expect(await store.publish(x, command(h("a"), { version: "1.0.0" }))).toEqual({ changed: true, previous: {} });
      expect(await store.publish(x, command(h("b"), { version: "1.1.0" }))).toEqual({ changed: true, previous: { latest: h("a") } });
      const state = await store.read(x);
      expect(state.refs).toEqual({ latest: h("b") });
      expect(state.versions).toEqual({ "1.0.0": h("a"), "1.1.0": h("b") });
      expect(state.publications.map((p) => [p.hash, p.version, p.refs])).toEqual([
        [h("a"), "1.0.0", ["latest"]],
        [h("b"), "1.1.0", ["latest"]],
      ]);
      expect(state.publications[1]!.seq).toBeGreaterThan(state.publications[0]!.seq);
      expect(state.publications[0]!.provenance).toEqual(provenance);
    });

    it("records nothing when identical content is published again", async () => {
      const store = make();
      const x = id();
      await store.publish(x, command(h("a"), { version: "1.0.0" }));
      expect(await store.publish(x, command(h("a"), { version: "1.0.0" }))).toEqual({ changed: false, previous: { latest: h("a") } });
      expect((await store.read(x)).publications).toHaveLength(1);
    });

    it("refuses to re-point a published version (409 version-immutable) and changes nothing", async () => {
      const store = make();
      const x = id();
      await store.publish(x, command(h("a"), { version: "1.0.0" }));
      await expect(store.publish(x, command(h("b"), { version: "1.0.0" }))).rejects.toMatchObject({ code: "version-immutable", status: 409 });
      const state = await store.read(x);
      expect(state.refs.latest).toBe(h("a"));
      expect(state.publications).toHaveLength(1);
    });

    it("compare-and-swaps: a stale expectation fails with 409 ref-moved and changes nothing", async () => {
      const store = make();
      const x = id();
      await store.publish(x, command(h("a"), { expect: { latest: null } }));
      await expect(store.publish(x, command(h("b"), { expect: { latest: null } }))).rejects.toMatchObject({ code: "ref-moved", status: 409 });
      await expect(store.publish(x, command(h("c"), { expect: { latest: h("a") } }))).resolves.toMatchObject({ changed: true });
      expect((await store.read(x)).refs.latest).toBe(h("c"));
    });

    it("serializes racing publishers: of many swaps expecting the same ref, exactly one wins (C1)", async () => {
      const store = make();
      const x = id();
      await store.publish(x, command(h("0")));
      const results = await Promise.allSettled(["1", "2", "3", "4", "5", "6"].map((c) => store.publish(x, command(h(c), { expect: { latest: h("0") } }))));
      const winners = results.flatMap((result, i) => (result.status === "fulfilled" ? [h(String(i + 1))] : []));
      expect(winners).toHaveLength(1);
      expect((await store.read(x)).refs.latest).toBe(winners[0]);
      expect(results.filter((r) => r.status === "rejected").every((r) => (r as PromiseRejectedResult).reason.code === "ref-moved")).toBe(true);
    });

    it("records the commit each publication came from, once, even when nothing else changes", async () => {
      const store = make();
      const x = id();
      const from = (commit: string) => ({ ...provenance, source: "git" as const, commit });
      await store.publish(x, command(h("a"), { provenance: from("c1") }));
      expect(await store.publish(x, command(h("a"), { provenance: from("c2") }))).toMatchObject({ changed: false });
      await store.publish(x, command(h("b"), { provenance: from("c1") }));
      expect((await store.read(x)).commits).toEqual({ c1: h("a"), c2: h("a") });
    });

    it("removes one ref with a tombstone, which a later publish of that ref clears", async () => {
      const store = make();
      const x = id();
      await store.publish(x, command(h("a"), { refs: ["latest", "heads/dev"] }));
      const tombstone = { lastCommit: "c1", removedBy: "c2", at: "2026-01-02T00:00:00.000Z" };
      expect(await store.removeRef(x, "latest", tombstone)).toBe(true);
      expect(await store.removeRef(x, "latest", tombstone)).toBe(false);
      let state = await store.read(x);
      expect(state.refs).toEqual({ "heads/dev": h("a") });
      expect(state.gone).toEqual({ latest: tombstone });
      await store.publish(x, command(h("b")));
      state = await store.read(x);
      expect(state.refs.latest).toBe(h("b"));
      expect(state.gone).toEqual({});
    });

    it("quarantines a hash until it is released, and forgets it with the object", async () => {
      const store = make();
      const x = id();
      await store.publish(x, command(h("a")));
      const record = { reason: "froze the local runtime", at: "2026-12-01T00:00:00.000Z", what: "method spin", environment: "production" };
      await store.quarantine(x, h("a"), record);
      expect((await store.read(x)).quarantined).toEqual({ [h("a")]: record });
      expect(await store.release(x, h("a"))).toBe(true);
      expect(await store.release(x, h("a"))).toBe(false);
      expect((await store.read(x)).quarantined).toBeUndefined();
      await store.quarantine(x, h("a"), record);
      await store.remove(x);
      expect(await store.read(x)).toEqual(EMPTY);
    });

    it("retires a hash until it is restored, and forgets it with the object", async () => {
      const store = make();
      const x = id();
      await store.publish(x, command(h("a")));
      const record = { at: "2026-12-02T00:00:00.000Z", by: "ops" };
      expect(await store.retire(x, h("a"), record)).toBe(true);
      expect((await store.read(x)).retired).toEqual({ [h("a")]: record });
      expect(await store.retire(x, h("a"), null)).toBe(true);
      expect(await store.retire(x, h("a"), null)).toBe(false);
      expect((await store.read(x)).retired).toBeUndefined();
      await store.retire(x, h("a"), record);
      await store.remove(x);
      expect(await store.read(x)).toEqual(EMPTY);
    });

    it("starts a rollout instead of moving latest, promotes it atomically, and forgets it with latest", async () => {
      const store = make();
      const x = id();
      const rollout = { steps: [50, 100], intervalMs: 10_000, maxErrorRate: 0.01, maxP99Ms: 500, minCalls: 0 };
      await store.publish(x, command(h("a")));
      const outcome = await store.publish(x, command(h("b"), { rollout }));
      expect(outcome).toMatchObject({ changed: true, previous: { latest: h("a") }, rollout: { change: "started", record: { stable: h("a"), canary: h("b"), weight: 50 } } });
      const running = await store.read(x);
      expect(running.refs.latest).toBe(h("a"));
      expect(running.rollout).toEqual(outcome.rollout!.record);
      expect(running.publications.at(-1)).toMatchObject({ hash: h("b"), refs: [], rollout: outcome.rollout!.record.id });
      // A stale analysis changes nothing; a promotion moves latest and records it.
      const at = "2026-01-01T00:01:00.000Z";
      const analysis = { stable: { calls: 0, failed: 0, errorRate: 0, p99Ms: null }, canary: { calls: 0, failed: 0, errorRate: 0, p99Ms: null }, verdict: "pass" as const, reasons: [] };
      await expect(store.rollout(x, { kind: "analysis", rollout: "other", revision: 1, analysis, at })).rejects.toMatchObject({ code: "rollout-moved" });
      const promoted = await store.rollout(x, { kind: "promote", at, by: "ops" });
      expect(promoted).toMatchObject({ status: "promoted" });
      const after = await store.read(x);
      expect(after.refs.latest).toBe(h("b"));
      expect(after.rollout).toEqual(promoted);
      expect(after.publications.at(-1)).toMatchObject({ hash: h("b"), refs: ["latest"], provenance: { actor: "ops" } });
      await expect(store.rollout(x, { kind: "abort", at, by: "ops" })).rejects.toMatchObject({ code: "rollout-not-active" });
      await store.publish(x, command(h("c"), { rollout }));
      await store.removeRef(x, "latest");
      expect((await store.read(x)).rollout).toBeUndefined();
    });

    it("keeps objects apart", async () => {
      const store = make();
      const [x, y] = [id(), id()];
      await store.publish(x, command(h("a")));
      expect((await store.read(y)).refs).toEqual({});
    });

    it("removes every ref, version and publication of an object", async () => {
      const store = make();
      const x = id();
      await store.publish(x, command(h("a"), { version: "1.0.0" }));
      expect(await store.remove(x)).toBe(true);
      expect(await store.read(x)).toEqual(EMPTY);
      expect(await store.remove(x)).toBe(false);
    });
  });
}
