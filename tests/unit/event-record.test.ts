import { describe, expect, it } from "vitest";
import { recordEvent, type EventScope } from "../../runtime/object-events.ts";
import type { EventRecord } from "../../runtime/context/event-log.ts";
import type { WireReply } from "../../runtime/executor/sandbox/protocol.ts";
import { DEFAULT_LIMITS } from "../../runtime/limits.ts";

type Line = Omit<EventRecord, "seq" | "at">;

function scopeOf(patterns: string[], $context?: string) {
  const lines: Line[] = [];
  const bubbled: Array<{ parent: string; name: string; source: string; hops: number }> = [];
  const scope = {
    id: "child.do",
    version: { built: { eventPatterns: patterns }, snapshot: { definition: { $id: "child.do", ...($context ? { $context } : {}) }, provenance: { source: "api", at: "", scopes: ["*"] } } },
    log: { record: (line: Line) => void lines.push(line) },
    limits: DEFAULT_LIMITS,
    sandbox: () => {
      throw new Error("no sandbox call expected");
    },
    host: () => {
      throw new Error("no host expected");
    },
    bubble: async (parent: string, envelope: { name: string; source: string; hops: number }) => {
      bubbled.push({ parent, name: envelope.name, source: envelope.source, hops: envelope.hops });
      return { delivered: true as const };
    },
  } as unknown as EventScope;
  return { scope, lines, bubbled };
}

const ok = "=null" as WireReply;
const boom = '!{"code":"method-failed","name":"Error","message":"boom"}' as WireReply;

describe("recordEvent: what the sandbox reports of an event's handlers", () => {
  it("records each declared, matching handler as it ended, and ignores anything else the sandbox reports", async () => {
    const { scope, lines } = scopeOf(["Order.*", "Customer.*"]);
    await recordEvent(scope, { source: "child.do", hops: 0 }, "Order.placed", {}, 0, [
      { pattern: "Order.*", reply: boom },
      { pattern: "Customer.*", reply: ok },
      { pattern: "Invented.*", reply: ok },
      { pattern: "Order.*", reply: ok },
    ]);
    expect(lines.map(({ handler, status }) => [handler, status])).toEqual([["Order.*", "failed"]]);
    expect(lines[0]!.detail).toBe("Error: boom");
  });

  it("records an event no handler matches as unhandled, and bubbles it to $context one hop further", async () => {
    const { scope, lines, bubbled } = scopeOf(["Order.*"], "parent.do");
    await recordEvent(scope, { source: "child.do", hops: 0 }, "Customer.created", {}, 0, []);
    expect(lines.map(({ status, detail }) => [status, detail])).toEqual([["unhandled", null], ["bubbled", "parent.do"]]);
    expect(bubbled).toEqual([{ parent: "parent.do", name: "Customer.created", source: "child.do", hops: 1 }]);
  });

  it("never places an event before the call's origin: a report of fewer hops counts from the origin, with its source", async () => {
    const { scope, lines, bubbled } = scopeOf([], "parent.do");
    await recordEvent(scope, { source: "grandchild.do", hops: 3 }, "Ping.sent", {}, 0, []);
    expect(lines[0]).toMatchObject({ source: "grandchild.do", hops: 3 });
    expect(bubbled[0]).toMatchObject({ source: "grandchild.do", hops: 4 });
    // A handler's own emit (one hop past the origin) comes from this object.
    await recordEvent(scope, { source: "grandchild.do", hops: 3 }, "Ping.sent", {}, 4, []);
    expect(lines.at(-1)).toMatchObject({ source: "child.do", hops: 4 });
  });

  it("cuts an event at the depth limit: recorded, refused to the emitter, not bubbled", async () => {
    const { scope, lines, bubbled } = scopeOf(["*"], "parent.do");
    await expect(recordEvent(scope, { source: "child.do", hops: 0 }, "Ping.sent", {}, DEFAULT_LIMITS.maxEventDepth, [{ pattern: "*", reply: ok }])).rejects.toThrow(/event depth limit/);
    expect(lines.map(({ status }) => status)).toEqual(["cut"]);
    expect(bubbled).toEqual([]);
  });
});
