import { afterEach, describe, expect, it, vi } from "vitest";
import { createOutput, escapedLines } from "../../cli/output.ts";

describe("the CLI's lines for people", () => {
  afterEach(() => vi.restoreAllMocks());

  it("escape what the server sent: no forged line, no terminal escape", () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (written.push(String(chunk)), true));
    createOutput(false).result(["fix \u001b[2J\u202etxt.do", "ok"], null);
    createOutput(false).record("evil\nremote: FAKE", null);
    expect(written).toEqual(["fix \\u{001b}[2J\\u{202e}txt.do\nok\n", "evil\\u{000a}remote: FAKE\n"]);
    expect(escapedLines("a\nb\u0007")).toBe("a\nb\\u{0007}");
  });

  it("leave --json output to JSON's own escaping", () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (written.push(String(chunk)), true));
    createOutput(true).record("ignored", { id: "a\u001bb" });
    expect(written).toEqual(['{"id":"a\\u001bb"}\n']);
  });
});
