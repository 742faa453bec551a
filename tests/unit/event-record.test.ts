import { describe, expect, it } from "vitest";
import { recordEvent, type EventScope } from "../../runtime/host/object-events.ts";
import type { EventRecord } from "../../runtime/host/context/event-log.ts";
import { decodeReply, encodeReply, eventReports, MAX_EVENTS_PER_CALL, withEvents, type WireReply } from "../../runtime/shared/sandbox-protocol.ts";
import { DEFAULT_LIMITS } from "../../runtime/shared/limits.ts";

type Line = Omit<EventRecord, "seq" | "at">;

function scopeOf(patterns: string[], $context?: string) {
  const lines: Line[] = [];
  const bubbled: Array<{ parent: string; name: string; source: string; hops: number }> = [];
  const scope = {
    id: "child.do",
    version: { built: { eventPatterns: patterns }, snapshot: { definition: { $id: "child.do", ...($context ? { $context } : {}) }, provenance: { source: "api", at: "", scopes: ["*"] } } },
    log: { record: (line: Line) => void lines.push(line) },
    limits: DEFAULT_LIMITS,
    deliver: () => {
      throw new Error("no sandbox call expected");
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

const report = (name: string, depth: number, handlers: Array<{ pattern: string; reply: WireReply }> = []) => ({ name, depth, data: "{}", handlers });

describe("recordEvent: what the sandbox reports of an event's handlers", () => {
  it("records each declared, matching handler as it ended, and ignores anything else the sandbox reports", async () => {
    const { scope, lines } = scopeOf(["Order.*", "Customer.*"]);
    await recordEvent(scope, { source: "child.do", hops: 0 }, report("Order.placed", 0, [
      { pattern: "Order.*", reply: boom },
      { pattern: "Customer.*", reply: ok },
      { pattern: "Invented.*", reply: ok },
      { pattern: "Order.*", reply: ok },
    ]));
    expect(lines.map(({ handler, status }) => [handler, status])).toEqual([["Order.*", "failed"]]);
    expect(lines[0]!.detail).toBe("Error: boom");
  });

  it("records an event no handler matches as unhandled, and bubbles it to $context one hop further", async () => {
    const { scope, lines, bubbled } = scopeOf(["Order.*"], "parent.do");
    await recordEvent(scope, { source: "child.do", hops: 0 }, report("Customer.created", 0));
    expect(lines.map(({ status, detail }) => [status, detail])).toEqual([["unhandled", null], ["bubbled", "parent.do"]]);
    expect(bubbled).toEqual([{ parent: "parent.do", name: "Customer.created", source: "child.do", hops: 1 }]);
  });

  it("counts hops from the call's origin: the delivered event keeps its source, a handler's own emit comes from this object", async () => {
    const { scope, lines, bubbled } = scopeOf([], "parent.do");
    await recordEvent(scope, { source: "grandchild.do", hops: 3 }, report("Ping.sent", 0));
    expect(lines[0]).toMatchObject({ source: "grandchild.do", hops: 3 });
    expect(bubbled[0]).toMatchObject({ source: "grandchild.do", hops: 4 });
    await recordEvent(scope, { source: "grandchild.do", hops: 3 }, report("Ping.sent", 1));
    expect(lines.at(-2)).toMatchObject({ source: "child.do", hops: 4 });
  });

  it("cuts an event at the depth limit: recorded, refused to the emitter, not bubbled", async () => {
    const { scope, lines, bubbled } = scopeOf(["*"], "parent.do");
    await expect(recordEvent(scope, { source: "child.do", hops: 0 }, report("Ping.sent", DEFAULT_LIMITS.maxEventDepth, [{ pattern: "*", reply: ok }]))).rejects.toThrow(/event depth limit/);
    expect(lines.map(({ status }) => status)).toEqual(["cut"]);
    expect(bubbled).toEqual([]);
  });
});

describe("a reply carrying its call's events", () => {
  it("decodes the result and the events in front of it, whatever the result holds", () => {
    const events = JSON.stringify([report("A.b", 0, [{ pattern: "A.*", reply: ok }])]);
    const wire = withEvents(encodeReply({ ok: true, json: '"=@1:x"' }), events);
    const decoded = decodeReply(wire);
    expect(decoded).toMatchObject({ ok: true, json: '"=@1:x"' });
    expect(eventReports(decoded.events)).toEqual([report("A.b", 0, [{ pattern: "A.*", reply: ok }])]);
    expect(decodeReply(withEvents(boom, events))).toMatchObject({ ok: false, message: "boom" });
  });

  it("reads a malformed length as a failed call, and drops malformed reports", () => {
    expect(decodeReply("@x:[]=1")).toMatchObject({ ok: false });
    expect(decodeReply("@99:[]=1")).toMatchObject({ ok: false });
    const mixed = JSON.stringify([{ name: 1 }, { name: "A.b", depth: -1, data: "{}", handlers: [] }, report("A.c", 2, [{ pattern: 3 } as never, { pattern: "A.*", reply: ok }])]);
    expect(eventReports(mixed)).toEqual([report("A.c", 2, [{ pattern: "A.*", reply: ok }])]);
    expect(eventReports("not json")).toEqual([]);
    expect(eventReports(JSON.stringify(Array.from({ length: MAX_EVENTS_PER_CALL + 5 }, () => report("A.b", 0))))).toHaveLength(MAX_EVENTS_PER_CALL);
  });
});
