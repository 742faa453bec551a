// The sandbox's in-flight notes: a start and an end line per call until the isolate trusts its version.
import { describe, expect, it, vi } from "vitest";

describe("in-flight notes", () => {
  it("note the first calls of a version, then trust it; -1 notes every call; nothing without supervision", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    vi.resetModules();
    // Loaded after the spy: the sandbox binds console.log when its module is evaluated.
    const { noteCall } = await import("../../runtime/executor/sandbox/in-flight.ts");
    const supervision = { marker: "od-secret", label: "v5:production:a.do:abc", trustAfter: 2 };
    noteCall(undefined, "method x")();
    expect(lines).toEqual([]);
    const first = noteCall(supervision, "method a");
    const second = noteCall(supervision, "method b");
    expect(lines).toEqual(["od-secret start 1 v5:production:a.do:abc method a", "od-secret start 2 v5:production:a.do:abc method b"]);
    second();
    first();
    expect(lines.slice(2)).toEqual(["od-secret end 2 v5:production:a.do:abc", "od-secret end 1 v5:production:a.do:abc"]);
    noteCall(supervision, "method c")();
    expect(lines).toHaveLength(4);
    noteCall({ ...supervision, trustAfter: -1 }, "method d")();
    expect(lines.slice(4)).toEqual(["od-secret start 3 v5:production:a.do:abc method d", "od-secret end 3 v5:production:a.do:abc"]);
    vi.restoreAllMocks();
  });
});
