import { describe, expect, it } from "vitest";
import { failureReport, previewCommentBody, successReport } from "../../control-plane/github/report-text.ts";
import type { ObjectOutcome } from "../../control-plane/pipeline/summarize.ts";
import { diffContracts } from "../../definitions/index.ts";

const side = (api: Record<string, string>, version?: string) => ({ hash: "a".repeat(64), definition: { $id: "hello.do", api }, ...(version ? { version } : {}) });
const outcome = (from: string, to: string, api: Record<string, string>): ObjectOutcome => ({
  id: "hello.do",
  status: "published",
  urls: ["http://objects.test/hello.do@latest"],
  diff: diffContracts(side({ hi: "async (a) => a" }, from), { ...side(api, to), hash: "b".repeat(64) }),
});

describe("what GitHub is told about a published commit", () => {
  it("is a success listing the contract changes when nothing breaks a pinned range", () => {
    const report = successReport([outcome("1.0.0", "1.1.0", { hi: "async (a) => a", bye: "async () => 0" })], "latest");
    expect(report.conclusion).toBe("success");
    expect(report.summary).toContain("#### Contract changes");
    expect(report.summary).toContain("- `+ method bye()`");
  });

  it("is neutral, naming the range, when a breaking change went out inside a pinned range", () => {
    const report = successReport([outcome("1.0.0", "1.1.0", { hi: "async (a, b) => a" })], "latest");
    expect(report.conclusion).toBe("neutral");
    expect(report.title).toBe("1 object(s) at latest: 1 published, 0 unchanged or removed; 1 with breaking changes (hello.do 1.1.0 breaks ^1)");
    expect(report.summary).toContain("> **Warning:** breaking change published as 1.1.0, inside ^1 which clients of 1.0.0 pin: publish it as 2.0.0");
    expect(successReport([outcome("1.0.0", "2.0.0", { hi: "async (a, b) => a" })], "latest").conclusion).toBe("success");
  });

  it("puts the same contract changes in the preview comment", () => {
    expect(previewCommentBody(7, "c".repeat(40), [outcome("1.0.0", "1.1.0", { hi: "async (a, b) => a" })])).toContain("#### Contract changes");
  });

  it("escapes what a commit carries in a failed check run and the preview comment", () => {
    const hostile = "x\nremote: FAKE \u001b[2J\u202e.do.json:1:1 is not an object id";
    const report = failureReport(["1 problem(s)\u2028", hostile], [{ path: "", code: "id-invalid", message: hostile, file: "x.do.json", line: 1 }]);
    for (const text of [report.title, report.summary, report.annotations[0]!.message, previewCommentBody(7, "c".repeat(40), { refused: [hostile] })]) {
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u2028\u202e]/);
      expect(text.split("\n").some((line) => line.startsWith("remote: FAKE"))).toBe(false);
    }
  });
});
