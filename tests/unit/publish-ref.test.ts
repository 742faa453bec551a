import { describe, expect, it } from "vitest";
import type { PipelineDeps, Publisher } from "../../control-plane/pipeline/publish-commit.ts";
import { publishRef, type RefChange, type RefObjects } from "../../control-plane/pipeline/publish-ref.ts";
import { createRegistry } from "../../registry/index.ts";
import { memoryBlobStore, memoryRefStore } from "../support/memory-stores.ts";

function setup() {
  const blobs = memoryBlobStore();
  const changes: string[] = [];
  const pipeline: PipelineDeps = {
    registry: createRegistry({ blobs, refs: memoryRefStore(), now: () => new Date("2026-12-01T00:00:00Z") }),
    blobs,
    trialLoad: async () => [],
    refsChanged: async (id, change, environment) => void changes.push(`${id} ${change} ${environment}`),
  };
  const lists = new Map<string, Map<string, string>>();
  const objects: RefObjects = { get: async (key) => new Map(lists.get(key) ?? []), set: async (key, value) => void lists.set(key, new Map(value)) };
  return { pipeline, objects, changes, lists };
}

const owner: Publisher = { source: "github", actor: "owner", scopes: ["shop.do"] };
const meta = (oid: string) => ({ oid, author: "Ada <ada@example.com>", message: "m", time: "2026-12-01T00:00:00.000Z" });
const change = (ref: RefChange["ref"], commit: RefChange["commit"], publisher = owner): RefChange => ({ repo: "acme/objects", origin: "http://objects.test", ref, defaultBranch: "main", commit, publisher });
const shop = { kind: "file" as const, path: "shop.do.json", content: JSON.stringify({ api: { v: "async () => 1" } }) };

describe("publishRef", () => {
  it("applies one scope rule to publishing and to retiring a branch, for every source", async () => {
    const { pipeline, objects, changes } = setup();
    const published = await publishRef({ pipeline, objects }, change("refs/heads/feature", { meta: meta("a".repeat(40)), entries: [shop] }));
    expect(published).toMatchObject({ ok: true });
    const stranger: Publisher = { source: "github", actor: "stranger", scopes: ["other.do"] };
    const refused = await publishRef({ pipeline, objects }, change("refs/heads/feature", null, stranger));
    expect(refused).toMatchObject({ ok: false, lines: ["shop.do: the token's scope does not cover this object; nothing was retired"] });
    expect((await pipeline.registry.state("shop.do")).refs).toHaveProperty(["heads/feature"]);
    const retired = await publishRef({ pipeline, objects }, change("refs/heads/feature", null));
    expect(retired.ok).toBe(true);
    expect((await pipeline.registry.state("shop.do")).refs).not.toHaveProperty(["heads/feature"]);
    expect(changes).toEqual(["shop.do moved branch-feature", "shop.do deleted branch-feature"]);
  });

  it.each([["refs/heads/$(id)"], ["refs/heads/a\u202eb"], ["refs/heads/a..b"], ["refs/notes/x"], ["refs/tags/Bad@1.0.0"]])("refuses %j before anything is written", async (ref) => {
    const { pipeline, objects, changes } = setup();
    const outcome = await publishRef({ pipeline, objects, beforeWrite: async () => void changes.push("pack stored") }, change(ref, { meta: meta("b".repeat(40)), entries: [shop] }));
    expect(outcome.ok).toBe(false);
    expect(changes).toEqual([]);
    expect((await pipeline.registry.state("shop.do")).publications).toEqual([]);
  });

  it("records the publisher and its scopes with each publication", async () => {
    const { pipeline, objects } = setup();
    await publishRef({ pipeline, objects }, change("refs/heads/main", { meta: meta("c".repeat(40)), entries: [shop] }));
    expect((await pipeline.registry.state("shop.do")).publications[0]!.provenance).toMatchObject({ source: "github", actor: "owner", scopes: ["shop.do"] });
  });
});

describe("publishRef and $context", () => {
  it("refuses a child whose parent neither is covered by the publisher nor accepts it, naming the file", async () => {
    const { pipeline, objects } = setup();
    const child = { kind: "file" as const, path: "shop.do.json", content: JSON.stringify({ $context: "bank.do", api: { v: "async () => 1" } }) };
    const outcome = await publishRef({ pipeline, objects }, change("refs/heads/main", { meta: meta("d".repeat(40)), entries: [child] }));
    expect(outcome).toMatchObject({ ok: false, issues: [{ file: "shop.do.json", path: "/$context", code: "context-refused" }] });
    expect(outcome.lines.join("\n")).toContain("bank.do does not accept shop.do");
  });
});

describe("publishRef and the repository that owns an id", () => {
  const pusher: Publisher = { source: "git", actor: "ada", scopes: ["*"] };
  const version = (n: string) => ({ ...shop, content: JSON.stringify({ api: { v: `async () => ${n}` } }) });
  const from = (repo: string, ref: string, oid: string, takeOver?: string[]): RefChange => ({ ...change(ref, { meta: meta(oid), entries: [version(oid[0]!)] }, pusher), repo, ...(takeOver ? { takeOver: new Set(takeOver) } : {}) });

  it("refuses another repository's push of an id, naming the owner, unless it says take-over", async () => {
    const { pipeline, objects } = setup();
    expect(await publishRef({ pipeline, objects }, from("acme", "refs/heads/main", "1".repeat(40)))).toMatchObject({ ok: true });
    const other = await publishRef({ pipeline, objects }, from("shop", "refs/heads/main", "2".repeat(40)));
    expect(other).toMatchObject({ ok: false });
    expect(other.lines.join("\n")).toContain("shop.do: published from the repository acme, not from shop; nothing was published (push with -o take-over=shop.do to take it over)");
    expect(await publishRef({ pipeline, objects }, from("shop", "refs/tags/v9.0.0", "2".repeat(40)))).toMatchObject({ ok: false });
    expect(await publishRef({ pipeline, objects }, from("shop", "refs/heads/main", "2".repeat(40), ["shop.do"]))).toMatchObject({ ok: true });
    expect(await publishRef({ pipeline, objects }, from("acme", "refs/heads/main", "3".repeat(40)))).toMatchObject({ ok: false });
  });

  it("lets the same repository publish again, and any repository claim an id its owner removed", async () => {
    const { pipeline, objects } = setup();
    await publishRef({ pipeline, objects }, from("acme", "refs/heads/main", "1".repeat(40)));
    expect(await publishRef({ pipeline, objects }, from("acme", "refs/heads/feature", "4".repeat(40)))).toMatchObject({ ok: true });
    await pipeline.registry.removeRef("shop.do", "latest", { lastCommit: "1".repeat(40) });
    expect(await publishRef({ pipeline, objects }, from("shop", "refs/heads/main", "5".repeat(40)))).toMatchObject({ ok: true });
  });
});

describe("publishRef and previews pushed to refs/for/<branch>/<topic>", () => {
  const previewPort = (productionBytes = 0) => {
    const calls: string[] = [];
    return {
      calls,
      port: {
        productionBytes: async () => productionBytes,
        fork: async (id: string, environment: string) => (calls.push(`fork ${id} ${environment}`), { ok: true as const, bytes: 2048, ms: 3, redacted: false }),
        record: async (entry: { ref: string; id: string; gitRef?: string; state: string }) => void calls.push(`record ${entry.id}@${entry.ref} ${entry.gitRef} ${entry.state}`),
        drop: async (ref: string, ids: string[]) => void calls.push(`drop ${ids.join(",")}@${ref}`),
      },
    };
  };
  const forked = { kind: "file" as const, path: "shop.do.json", content: JSON.stringify({ api: { v: "async () => 1" }, config: { preview: { state: "fork", maxBytes: 4096 } } }) };

  it("publishes preview-<topic> in its own environment, forks a new object once, and records it", async () => {
    const { pipeline, objects, changes } = setup();
    const { port, calls } = previewPort(1000);
    const deps = { pipeline: { ...pipeline, previews: port }, objects };
    const first = await publishRef(deps, change("refs/for/main/login", { meta: meta("e".repeat(40)), entries: [forked] }));
    expect(first).toMatchObject({ ok: true, target: { kind: "topic", topic: "login", branch: "main" } });
    expect(first.lines).toContain("shop.do: state forked from production: 2.0 KiB in 3 ms");
    expect((await pipeline.registry.state("shop.do")).refs).toHaveProperty(["preview-login"]);
    await publishRef(deps, change("refs/for/main/login", { meta: meta("f".repeat(40)), entries: [forked] }));
    expect(calls).toEqual(["record shop.do@preview-login refs/for/main/login fork", "fork shop.do preview-login", "record shop.do@preview-login refs/for/main/login fork"]);
    const deleted = await publishRef(deps, change("refs/for/main/login", null));
    expect(deleted).toMatchObject({ ok: true, lines: ["deleted with its environment (1 object(s))"] });
    expect(calls.at(-1)).toBe("drop shop.do@preview-login");
    // The second push changed nothing the runtime caches: only the first moved it.
    expect(changes).toEqual(["shop.do moved preview-login", "shop.do deleted preview-login"]);
  });

  it("refuses a fork over its bound, before anything is published", async () => {
    const { pipeline, objects } = setup();
    const { port, calls } = previewPort(5000);
    const outcome = await publishRef({ pipeline: { ...pipeline, previews: port }, objects }, change("refs/for/main/big", { meta: meta("1".repeat(40)), entries: [forked] }));
    expect(outcome).toMatchObject({ ok: false, lines: [expect.stringContaining("1 problem(s)"), "shop.do: production's state is 4.9 KiB, over the 4.0 KiB a preview may fork (config.preview.maxBytes)"] });
    expect(calls).toEqual([]);
    expect((await pipeline.registry.state("shop.do")).publications).toEqual([]);
  });

  it.each([
    ["refs/for/main", "a preview is pushed to refs/for/<branch>/<topic>"],
    ["refs/for/main/Login", "topic Login: a topic has 1–40 characters"],
    ["refs/for/-x/login", "branch -x:"],
  ])("refuses %j naming why", async (ref, reason) => {
    const { pipeline, objects } = setup();
    const outcome = await publishRef({ pipeline, objects }, change(ref, { meta: meta("2".repeat(40)), entries: [shop] }));
    expect(outcome).toMatchObject({ ok: false, lines: [expect.stringContaining(reason)] });
  });
});
