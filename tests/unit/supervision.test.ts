// The local supervisor's protocol, written and read by one codec on every side (runtime, supervisor, Worker intake).
import { describe, expect, it } from "vitest";
import { formatInFlight, formatLoaderId, parseInFlight, parseLoaderId } from "../../core/supervision.ts";
import { loaderId, RUNTIME_VERSION } from "../../runtime/index.ts";

const HASH = "3f".repeat(32);

describe("supervision protocol", () => {
  it("reads back every loader id the runtime writes, and nothing else", () => {
    expect(parseLoaderId(loaderId("crm.acme.com", "pr-42", HASH))).toEqual({ runtime: RUNTIME_VERSION, environment: "pr-42", id: "crm.acme.com", hash: HASH });
    expect(parseLoaderId(formatLoaderId({ runtime: "9", environment: "production", id: "a.do", hash: HASH }))).toMatchObject({ runtime: "9", id: "a.do" });
    for (const label of ["", "production:a.do:" + HASH, `v1:production:a.do:${HASH}:extra`, `v1:production:a.do:abc`, `v1::a.do:${HASH}`, `x1:production:a.do:${HASH}`]) {
      expect(parseLoaderId(label), label).toBeNull();
    }
  });

  it("reads back the in-flight lines it writes, under its marker only", () => {
    const label = loaderId("a.do", "production", HASH);
    const start = { kind: "start-cold", call: 7, label, what: "method customers.create" } as const;
    expect(parseInFlight("od-secret", formatInFlight("od-secret", start))).toEqual(start);
    expect(parseInFlight("od-secret", formatInFlight("od-secret", { kind: "end", call: 7, label, what: "" }))).toEqual({ kind: "end", call: 7, label, what: "" });
    // Any other line of the runtime's output is passed on, not read: another marker, an unknown kind, no call number.
    for (const line of [formatInFlight("od-other", start), `od-secret begin 7 ${label}`, `od-secret start x ${label} method a`, "od-secret start 7", "plain output"]) {
      expect(parseInFlight("od-secret", line), line).toBeNull();
    }
  });
});
