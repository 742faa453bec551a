// The reporter against the GitHub stand-in: every step find-or-create, so a lost answer or a retry makes nothing twice.
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeCommitReport, GITHUB_LIMITS, type ReportSection } from "../../control-plane/github/commit-report.ts";
import { successReport, failureReport } from "../../control-plane/github/report-text.ts";
import { COMMENT_MARKER, octokitReporter, type GitHubIds } from "../../control-plane/github/reporter.ts";
import { fetchWithDeadline, ObjectsError } from "../../core/index.ts";
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.ts";

let github: FakeGitHub;
beforeAll(async () => {
  github = await startFakeGitHub();
});
afterAll(async () => github?.close());

const memoryIds = (): GitHubIds => {
  const map = new Map<string, number>();
  return { get: async (key) => map.get(key), set: async (key, value) => void map.set(key, value) };
};
function reporter(repo: string, token = "installation-token-1", ids = memoryIds(), author: () => Promise<number | undefined> = async () => undefined) {
  const octokit = new Octokit({ baseUrl: github.url, auth: token, request: { retries: 0, fetch: fetchWithDeadline("github", 300) } });
  return { reporter: octokitReporter(octokit, "acme", repo, ids, author), ids };
}
const sha = (n: number) => n.toString(16).padStart(40, "0");
const caught = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as ObjectsError);
const outcome = (id: string) => ({ id, status: "published" as const, hash: "a".repeat(64), urls: [`http://objects.test/${id}@latest`] });

describe("the check run of a commit", () => {
  it("is created once even when GitHub creates it and the answer never comes", async () => {
    const { reporter: r } = reporter("held");
    const report = successReport([outcome("a.do")], "@latest");
    github.hold("POST", /\/repos\/acme\/held\/check-runs$/);
    expect(await caught(r.commit(sha(1), report))).toMatchObject({ code: "github-timeout", retryable: true });
    await r.commit(sha(1), report);
    expect(github.checkRuns.filter((run) => run.repo === "acme/held" && run.head_sha === sha(1))).toHaveLength(1);
  });

  it("gets a section per ref, one run, and every annotation once across updates (50 per request)", async () => {
    const { reporter: r } = reporter("sections");
    const issues = (count: number, file: string) => Array.from({ length: count }, (_, i) => ({ path: "", code: "syntax-error", message: `problem ${i}`, file, line: i + 1 }));
    const branch: ReportSection = { ref: "@feature", report: failureReport(["120 problem(s)"], issues(120, "a.do.json")) };
    const preview: ReportSection = { ref: "@pr-7", report: failureReport(["30 problem(s)"], issues(30, "b.do.json")) };
    await r.commit(sha(2), composeCommitReport([branch], "http://objects.test/_/reports/acme/sections/x"));
    github.fail("PATCH", /\/check-runs\/\d+$/, 500);
    expect(await caught(r.commit(sha(2), composeCommitReport([branch, preview])))).toMatchObject({ retryable: true });
    await r.commit(sha(2), composeCommitReport([branch, preview]));
    const [run, ...others] = github.checkRuns.filter((c) => c.repo === "acme/sections");
    expect(others).toEqual([]);
    expect(run!.annotations).toHaveLength(150);
    expect(new Set(run!.annotations.map((a) => `${a.path}:${a.start_line}`)).size).toBe(150);
    expect(run!.output.title).toBe("@feature: 120 problem(s) · @pr-7: 30 problem(s)");
    expect(github.find("PATCH", /\/check-runs\/\d+$/).every((request) => ((request.body.output as { annotations?: unknown[] } | undefined)?.annotations?.length ?? 0) <= 50)).toBe(true);
  });

  it("fits GitHub's limits with a line saying what was left out and where the full report is", () => {
    const outcomes = Array.from({ length: 500 }, (_, i) => outcome(`${"x".repeat(80)}-${i}.do`));
    const report = composeCommitReport([{ ref: "@latest", report: successReport(outcomes, "@latest") }], "http://objects.test/_/reports/acme/big/sha");
    expect(report.summary.length).toBeLessThanOrEqual(GITHUB_LIMITS.summary);
    expect(report.summary).toMatch(/… \d+ more characters were left out \(GitHub allows 65535\): the full report is at http:\/\/objects\.test\/_\/reports\/acme\/big\/sha\.$/);
    expect(report.title.length).toBeLessThanOrEqual(GITHUB_LIMITS.title);
  });

  it("falls back to one commit status per report on a token, cut to 140 characters, linking the report", async () => {
    const { reporter: r } = reporter("tokened", "token-of-a-person");
    const report = { ...successReport([outcome("a.do")], "@latest"), title: "t".repeat(300), detailsUrl: "http://objects.test/_/reports/acme/tokened/s" };
    await r.commit(sha(3), report);
    await r.commit(sha(4), report);
    const statuses = github.statuses.filter((s) => s.target_url === report.detailsUrl);
    expect(statuses.map((s) => s.description!.length)).toEqual([140, 140]);
    // Refused once, the check run is not asked for again.
    expect(github.find("POST", /\/repos\/acme\/tokened\/check-runs$/)).toHaveLength(1);
  });
});

describe("the preview comment", () => {
  it("is one comment, edited in place, found by marker and author after a lost answer; a person's quote is left alone", async () => {
    const { reporter: r } = reporter("commented");
    github.comments.set(11, [{ id: 1, body: `${COMMENT_MARKER}\n> quoting the bot`, user: { id: 5, login: "person", type: "User" } }]);
    github.hold("POST", /\/repos\/acme\/commented\/issues\/11\/comments$/);
    expect(await caught(r.previewComment(11, "first"))).toMatchObject({ code: "github-timeout" });
    await r.previewComment(11, "second");
    await r.previewComment(11, "third");
    const comments = github.comments.get(11)!;
    expect(comments.map((c) => c.body)).toEqual([`${COMMENT_MARKER}\n> quoting the bot`, `${COMMENT_MARKER}\nthird`]);
  });

  it("is found by its marker when GitHub will not say who the token is, skipping a person's quote it may not edit", async () => {
    const refused = () => Promise.reject(new ObjectsError("github-refused", "GitHub refused who the token is (404)"));
    const { reporter: r } = reporter("no-identity", "token-of-a-person", memoryIds(), refused);
    github.comments.set(14, [
      { id: 21, body: `${COMMENT_MARKER}\n> quoting the bot`, user: { id: 5, login: "person", type: "User" } },
      { id: 22, body: `${COMMENT_MARKER}\nfirst`, user: { id: 1001, login: "token-owner", type: "User" } },
    ]);
    await r.previewComment(14, "second");
    expect(github.comments.get(14)!.map((c) => c.body)).toEqual([`${COMMENT_MARKER}\n> quoting the bot`, `${COMMENT_MARKER}\nsecond`]);
    // With no comment of its own, it makes one.
    github.comments.set(15, [{ id: 23, body: `${COMMENT_MARKER}\n> quoting`, user: { id: 5, login: "person", type: "User" } }]);
    await r.previewComment(15, "new");
    expect(github.comments.get(15)!.map((c) => c.body)).toEqual([`${COMMENT_MARKER}\n> quoting`, `${COMMENT_MARKER}\nnew`]);
  });

  it("is cut to GitHub's 65,536 characters", async () => {
    const { reporter: r } = reporter("long-comment");
    await r.previewComment(12, "y".repeat(70_000));
    expect(github.comments.get(12)![0]!.body.length).toBeLessThanOrEqual(GITHUB_LIMITS.comment);
  });
});

describe("the preview deployment", () => {
  it("is one deployment per pushed commit whatever is retried, with its status", async () => {
    const { reporter: r } = reporter("deployed");
    github.hold("POST", /\/repos\/acme\/deployed\/deployments$/);
    expect(await caught(r.deployment(13, sha(5), { state: "success", url: "http://objects.test/a.do@pr-13" }))).toMatchObject({ retryable: true });
    await r.deployment(13, sha(5), { state: "success", url: "http://objects.test/a.do@pr-13" });
    await r.deployment(13, sha(5), { state: "success", url: "http://objects.test/a.do@pr-13" });
    await r.deployment(13, sha(6), { state: "success" });
    const mine = github.deployments.filter((d) => d.environment === "preview/pr-13");
    expect(mine.map((d) => d.sha)).toEqual([sha(5), sha(6)]);
    await r.deployment(13, sha(6), { state: "inactive" });
    expect(mine.every((d) => d.statuses.at(-1)?.state === "inactive")).toBe(true);
  });

  it("sets each status once when a retried step's answer was lost", async () => {
    const { reporter: r } = reporter("status-once");
    const url = "http://objects.test/a.do@pr-16";
    github.hold("POST", /\/repos\/acme\/status-once\/deployments\/\d+\/statuses$/);
    expect(await caught(r.deployment(16, sha(7), { state: "success", url }))).toMatchObject({ code: "github-timeout" });
    await r.deployment(16, sha(7), { state: "success", url });
    await r.deployment(16, sha(7), { state: "success", url });
    const [deployment] = github.deployments.filter((d) => d.environment === "preview/pr-16");
    expect(deployment!.statuses).toEqual([{ state: "success", environment_url: url }]);
    await r.deployment(16, sha(7), { state: "failure" });
    expect(deployment!.statuses.map((s) => s.state)).toEqual(["success", "failure"]);
  });
});
