// The preview refs' one codec, as the dashboard, the CLI, the GitHub source and the ref grammar read them.
import { describe, expect, it } from "vitest";
import { isPreviewRef, pullRequestOf, pullRequestRef, topicOf, topicRef } from "../../schemas/preview-ref.ts";
import { parseRef, printRef } from "../../registry/index.ts";

describe("preview refs", () => {
  it("reads back what it writes, and agrees with the ref grammar", () => {
    expect(pullRequestOf(pullRequestRef(42))).toBe(42);
    expect(topicOf(topicRef("login-flow"))).toBe("login-flow");
    expect(parseRef(pullRequestRef(7))).toEqual({ kind: "pr", number: 7 });
    expect(printRef({ kind: "topic", topic: "x" })).toBe(topicRef("x"));
  });

  it("names no preview in a branch, a version or a malformed ref", () => {
    for (const ref of ["pr-0", "pr-01", "pr-", "pr-12345678901", "pr-7a", "preview-", "preview-Bad", "preview--x", "main", "latest", "v1.2.3", "refs/heads/pr-7"]) {
      expect(isPreviewRef(ref), ref).toBe(false);
    }
    expect(isPreviewRef("pr-7") && isPreviewRef("preview-login")).toBe(true);
  });
});
