// The host's in-flight notes: a start line before a sandboxed call runs and an end line when it answers, until the
// version is trusted.
import { describe, expect, it, vi } from "vitest";
import { supervised } from "../../runtime/executor/in-flight.ts";
import { parseInFlight } from "../../core/supervision.ts";
import type { SandboxEntrypoint, WireReply } from "../../runtime/shared/sandbox-protocol.ts";

/** A sandbox whose calls settle when the test says, recording what the log held when each call started. */
function sandboxFor(lines: string[]) {
  const pending: Array<{ settle: (ok: boolean) => void; linesAtStart: number }> = [];
  const start = () =>
    new Promise<WireReply>((resolve, reject) => {
      pending.push({ linesAtStart: lines.length, settle: (ok) => (ok ? resolve("=null" as WireReply) : reject(new Error("isolate died"))) });
    });
  const sandbox: SandboxEntrypoint = { call: start, event: start, schedule: start, page: start, check: async () => [] };
  return { sandbox, pending };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("in-flight notes", () => {
  it("note each call before it starts and when it answers or dies, then trust the version; -1 notes every call", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    const { sandbox, pending } = sandboxFor(lines);
    const label = `v8:production:notes-${Math.random()}.do:abc`;
    const noted = supervised(sandbox, { marker: "od-secret", label, trustAfter: 2 });
    const first = noted.call("a", [], undefined);
    const second = noted.event("null", {} as never, { name: "order.paid", source: "a.do", hops: 0 }).catch(() => "died");
    expect(lines).toHaveLength(2);
    // Calls before the version's first answer in this runtime load and compile it: marked cold.
    expect(lines[0]).toMatch(new RegExp(`^od-secret start-cold (\\d+) ${label.replaceAll(".", "\\.")} method a$`));
    expect(lines[1]).toMatch(/ event order\.paid$/);
    // Each start line was printed before its sandbox call began.
    expect(pending.map((call) => call.linesAtStart)).toEqual([1, 2]);
    const [firstId, secondId] = lines.map((line) => parseInFlight("od-secret", line)!.call);
    pending[1]!.settle(false);
    pending[0]!.settle(true);
    expect(await first).toBe("=null");
    expect(await second).toBe("died");
    await flush();
    expect(lines.slice(2)).toEqual([`od-secret end ${secondId} ${label}`, `od-secret end ${firstId} ${label}`]);
    // Two answered: the version is trusted, and its calls are no longer noted.
    const third = noted.schedule("0 0 1 1 *", undefined, { pattern: "0 0 1 1 *", at: "" });
    pending[2]!.settle(true);
    await third;
    await flush();
    expect(lines).toHaveLength(4);
    const careful = supervised(sandbox, { marker: "od-secret", label, trustAfter: -1 });
    const fourth = careful.page("site:/", { path: "/", query: {} }, [], undefined);
    pending[3]!.settle(true);
    await fourth;
    await flush();
    expect(lines.slice(4)).toEqual([expect.stringMatching(/^od-secret start \d+ .* page site:\/$/), expect.stringMatching(/^od-secret end \d+ /)]);
    vi.restoreAllMocks();
  });

  it("notes another version afresh, and never notes the trial check", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    const { sandbox, pending } = sandboxFor(lines);
    const trusted = supervised(sandbox, { marker: "od-secret", label: `v8:production:trusted-${Math.random()}.do:abc`, trustAfter: 0 });
    const other = supervised(sandbox, { marker: "od-secret", label: `v8:production:other-${Math.random()}.do:abc`, trustAfter: 1 });
    const call = trusted.call("a", [], undefined);
    expect(lines).toEqual([]);
    pending[0]!.settle(true);
    await call;
    const again = other.call("b", [], undefined);
    expect(lines).toEqual([expect.stringMatching(/ method b$/)]);
    pending[1]!.settle(true);
    await again;
    expect(await other.check()).toEqual([]);
    await flush();
    expect(lines).toHaveLength(2);
    vi.restoreAllMocks();
  });
});
