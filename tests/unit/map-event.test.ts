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

  it("ignores other pull_request actions, other labels and unknown events", () => {
    expect(mapEvent("pull_request", example("pull_request", (p) => p.action === "labeled"), "d5")).toEqual({ kind: "ignored", reason: "pull_request labeled" });
    expect(mapEvent("pull_request", example("pull_request", (p) => p.action === "assigned"), "d5")).toEqual({ kind: "ignored", reason: "pull_request assigned" });
    expect(mapEvent("star", {}, "d6")).toEqual({ kind: "ignored", reason: "event star" });
  });

  it("marks a pull request from a fork, and one whose fork was deleted", () => {
    const pr = example("pull_request", (p) => p.action === "opened") as { pull_request: { head: Record<string, unknown> } };
    const fork = { ...pr, pull_request: { ...pr.pull_request, head: { ...pr.pull_request.head, repo: { full_name: "stranger/Hello-World" } } } };
    const gone = { ...pr, pull_request: { ...pr.pull_request, head: { ...pr.pull_request.head, repo: null } } };
    expect(mapEvent("pull_request", fork, "f1")).toMatchObject({ jobs: [{ kind: "pull_request", fork: true }] });
    expect(mapEvent("pull_request", gone, "f2")).toMatchObject({ jobs: [{ kind: "pull_request", fork: true }] });
  });

  it("turns the objects-preview label into an approval by whoever added it", () => {
    const labeled = { ...example("pull_request", (p) => p.action === "labeled"), label: { name: "objects-preview" } } as unknown as { number: number; sender: unknown };
    expect(mapEvent("pull_request", labeled, "a1")).toMatchObject({ jobs: [{ kind: "approve_preview", number: labeled.number, approver: (labeled.sender as { login: string }).login }] });
  });

  it("turns a /preview comment on a pull request into an approval, and nothing else", () => {
    const created = example("issue_comment", (p) => p.action === "created") as { issue: Record<string, unknown>; comment: Record<string, unknown> };
    const onPull = { ...created, issue: { ...created.issue, pull_request: { url: "https://api.github.com/repos/x/y/pulls/1" } }, comment: { ...created.comment, body: " /preview \n" } };
    expect(mapEvent("issue_comment", onPull, "c1")).toMatchObject({ jobs: [{ kind: "approve_preview", approver: (created.comment.user as { login: string }).login }] });
    expect(mapEvent("issue_comment", { ...onPull, comment: { ...onPull.comment, body: "please /preview" } }, "c2")).toMatchObject({ kind: "ignored" });
    expect(mapEvent("issue_comment", { ...created, comment: { ...created.comment, body: "/preview" } }, "c3")).toMatchObject({ kind: "ignored" });
    expect(mapEvent("issue_comment", { ...onPull, action: "edited" }, "c4")).toMatchObject({ kind: "ignored" });
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
  ])("refuses %s with 400 naming the field", (_, event, payload, field) => {
    expect(() => mapEvent(event, payload, "d9")).toThrowError(expect.objectContaining({ code: "payload-invalid", status: 400, message: expect.stringContaining(field) }));
  });
});
