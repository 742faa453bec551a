import examples from "@octokit/webhooks-examples";
import { describe, expect, it } from "vitest";
import { mapEvent } from "../../control-plane/webhooks/map-event.ts";

const example = (name: string, pick: (payload: Record<string, unknown>) => boolean = () => true) =>
  (examples as Array<{ name: string; examples: Array<Record<string, unknown>> }>).find((entry) => entry.name === name)!.examples.find(pick)!;

describe("mapping GitHub's real payloads (@octokit/webhooks-examples) to jobs", () => {
  it("answers ping with pong", () => {
    expect(mapEvent("ping", example("ping"), "d1")).toEqual({ kind: "pong" });
  });

  it("turns a branch push into a ref job", () => {
    const push = example("push", (p) => String(p.ref).startsWith("refs/heads/") && !p.deleted);
    expect(mapEvent("push", push, "d2")).toEqual({ kind: "jobs", repo: "Codertocat/Hello-World", repositoryId: 186853002, jobs: [{ kind: "ref", repo: "Codertocat/Hello-World", ref: push.ref, sha: push.after, delivery: "d2" }] });
  });

  it("turns a tag deletion into a ref job without a sha", () => {
    const deleted = example("push", (p) => p.deleted === true);
    expect(mapEvent("push", deleted, "d3")).toMatchObject({ jobs: [{ kind: "ref", ref: "refs/tags/simple-tag", sha: null }] });
  });

  it.each(["opened", "synchronize", "reopened", "closed"])("turns pull_request %s into a preview job", (action) => {
    const outcome = mapEvent("pull_request", example("pull_request", (p) => p.action === action), "d4");
    expect(outcome).toMatchObject({ kind: "jobs", jobs: [{ kind: "pull_request", action, number: expect.any(Number), sha: expect.stringMatching(/^[0-9a-f]{40}$/), fork: false }] });
  });

  it("ignores other pull_request actions and unknown events", () => {
    expect(mapEvent("pull_request", example("pull_request", (p) => p.action === "labeled"), "d5")).toEqual({ kind: "ignored", reason: "pull_request labeled" });
    expect(mapEvent("star", {}, "d6")).toEqual({ kind: "ignored", reason: "event star" });
  });

  it("turns create and delete of a tag into ref jobs", () => {
    expect(mapEvent("create", example("create"), "d7")).toMatchObject({ jobs: [{ kind: "ref", ref: "refs/tags/simple-tag" }] });
    expect(mapEvent("delete", example("delete"), "d8")).toMatchObject({ jobs: [{ kind: "ref", ref: "refs/tags/simple-tag" }] });
  });

  it.each([
    ["push without repository", "push", { ...example("push"), repository: undefined }, "/repository"],
    ["push with an empty ref", "push", { ...example("push"), ref: "" }, "/ref"],
    ["push with a wrong type", "push", { ...example("push"), after: 42 }, "/after"],
    ["pull_request without head", "pull_request", { ...example("pull_request"), pull_request: { base: {} } }, "/pull_request/head"],
  ])("refuses %s with 400 naming the field (W17)", (_, event, payload, field) => {
    expect(() => mapEvent(event, payload, "d9")).toThrowError(expect.objectContaining({ code: "payload-invalid", status: 400, message: expect.stringContaining(field) }));
  });
});
