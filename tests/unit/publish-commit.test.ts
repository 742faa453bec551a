import { describe, expect, it } from "vitest";
import { applyCommit, prepareCommit, type CommitInput, type PipelineDeps } from "../../control-plane/pipeline/publish-commit.ts";
import { targetOf, type GitTarget } from "../../control-plane/pipeline/targets.ts";
import { contractLines } from "../../control-plane/pipeline/summarize.ts";
import { type RepoEntry } from "../../definitions/index.ts";
import { createRegistry } from "../../registry/index.ts";
import { memoryBlobStore, memoryRefStore } from "../support/memory-stores.ts";

function pipeline() {
  const blobs = memoryBlobStore();
  const changes: string[] = [];
  const loaded: string[] = [];
  const deps: PipelineDeps = {
    registry: createRegistry({ blobs, refs: memoryRefStore(), now: () => new Date("2026-11-25T00:00:00Z") }),
    blobs,
    trialLoad: async (definition) => {
      loaded.push(definition.$id);
      return [];
    },
    refsChanged: async (id, change, environment) => void changes.push(`${id} ${change} ${environment}`),
  };
  return { deps, blobs, changes, loaded };
}

const file = (path: string, content: unknown): RepoEntry => ({ kind: "file", path, content: typeof content === "string" ? content : JSON.stringify(content) });
const hello = (text: string) => file("hello.do.json", { api: { hello: `async () => '${text}'` } });
const input = (oid: string, entries: RepoEntry[], ref = "refs/heads/main", previous = new Map<string, string>()): CommitInput => ({
  repo: "acme",
  origin: "http://objects.test",
  commit: { oid, author: "Ada <ada@example.com>", message: "msg", time: "2026-01-01T00:00:00.000Z" },
  entries,
  target: (targetOf(ref, "main") as { target: GitTarget }).target,
  previous,
  publisher: { source: "git", actor: "ada", scopes: ["hello.do", "other.do", "crm.acme.com", "shop.do"] },
});

async function publish(deps: PipelineDeps, commit: CommitInput) {
  const prepared = await prepareCommit(deps, commit);
  if (!prepared.ok) throw new Error(prepared.lines.join("\n"));
  return applyCommit(deps, commit, prepared);
}

describe("the publish pipeline", () => {
  it("mirrors the commit's definition files, publishes with provenance and prints URLs", async () => {
    const { deps, blobs, changes } = pipeline();
    const outcomes = await publish(deps, input("c1".padEnd(40, "0"), [hello("hi"), file("README.md", "# no")]));
    expect(outcomes).toEqual([{ id: "hello.do", status: "published", hash: expect.any(String), urls: ["http://objects.test/hello.do@c100000", "http://objects.test/hello.do@latest"], diff: expect.objectContaining({ from: null }) }]);
    const mirror = JSON.parse((await blobs.get(`commits/acme/${"c1".padEnd(40, "0")}.json`))!);
    expect(Object.keys(mirror.files)).toEqual(["hello.do.json"]);
    const state = await deps.registry.state("hello.do");
    expect(state.publications[0]!.provenance).toMatchObject({ source: "git", repo: "acme", commit: "c1".padEnd(40, "0"), path: "hello.do.json", author: "Ada <ada@example.com>" });
    expect(changes).toEqual(["hello.do moved production"]);
  });

  it("diffs each publication against what it replaces: the ref's last code, or the version below a new version", async () => {
    const { deps } = pipeline();
    const versioned = (version: string, api: object) => file("hello.do.json", { $version: version, api });
    await publish(deps, input("a".repeat(40), [versioned("1.0.0", { hello: "async (name) => name" })]));
    const pr = await publish(deps, input("b".repeat(40), [versioned("1.1.0", { hello: "async (name, title) => title + name" })], "refs/heads/main"));
    expect(pr[0]!.diff).toMatchObject({ from: { version: "1.0.0" }, to: { version: "1.1.0" }, breaking: true, rangeBreak: { range: "^1", suggested: "2.0.0" } });
    expect(contractLines(pr)).toEqual([
      "contract of hello.do: 2 change(s), 2 breaking",
      "  ~ method hello(name, title) (was hello(name))  BREAKING",
      "  ~ tool hello(name, title) (was hello(name))  BREAKING",
      "  warning: breaking change published as 1.1.0, inside ^1 which clients of 1.0.0 pin: publish it as 2.0.0",
    ]);
    const same = await publish(deps, input("c".repeat(40), [versioned("1.1.0", { hello: "async (name, title) => title + name" })]));
    expect(contractLines(same)).toEqual([]);
  });

  it("reports unchanged objects without trial-loading them again, and still records the commit", async () => {
    const { deps, loaded } = pipeline();
    await publish(deps, input("a".repeat(40), [hello("hi")]));
    const outcomes = await publish(deps, input("b".repeat(40), [hello("hi")]));
    expect(outcomes.map((o) => o.status)).toEqual(["unchanged"]);
    expect(loaded).toEqual(["hello.do"]);
    expect(Object.keys((await deps.registry.state("hello.do")).commits)).toEqual(["a".repeat(40), "b".repeat(40)]);
  });

  it("refuses, before writing anything, objects outside the pusher's scope and versions already published elsewhere", async () => {
    const { deps } = pipeline();
    const denied = await prepareCommit(deps, input("a".repeat(40), [hello("hi"), file("secret.do.json", {})]));
    expect(denied).toEqual({ ok: false, lines: ["secret.do: the token's scope does not cover this object; nothing was published"] });
    await publish(deps, input("a".repeat(40), [hello("one")], "refs/tags/v1.0.0"));
    const again = await prepareCommit(deps, input("b".repeat(40), [hello("two")], "refs/tags/v1.0.0"));
    expect(again.ok).toBe(false);
    expect((again as { lines: string[] }).lines[1]).toMatch(/hello\.do: version 1\.0\.0 is already published with other content/);
  });

  it("retires an object the branch lost with a tombstone naming its last commit", async () => {
    const { deps } = pipeline();
    await publish(deps, input("a".repeat(40), [hello("hi"), file("other.do.json", {})]));
    const outcomes = await publish(deps, input("b".repeat(40), [file("other.do.json", {})], "refs/heads/main", new Map([["hello.do", "a".repeat(40)], ["other.do", "a".repeat(40)]])));
    expect(outcomes.find((o) => o.id === "hello.do")).toMatchObject({ status: "removed" });
    expect((await deps.registry.state("hello.do")).gone.latest).toMatchObject({ lastCommit: "a".repeat(40), removedBy: "b".repeat(40) });
  });

  it("publishes a branch to its own ref and environment, and a version tag to versions only", async () => {
    const { deps, changes } = pipeline();
    await publish(deps, input("a".repeat(40), [hello("branch")], "refs/heads/feature"));
    await publish(deps, input("a".repeat(40), [hello("branch")], "refs/tags/v2.0.0"));
    const state = await deps.registry.state("hello.do");
    expect(Object.keys(state.refs)).toEqual(["heads/feature"]);
    expect(Object.keys(state.versions)).toEqual(["2.0.0"]);
    expect(changes).toEqual(["hello.do moved branch-feature", "hello.do moved production"]);
  });
});
