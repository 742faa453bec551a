// The quarantines a restarted runtime is given: taken before it answers, confirmed (not taken again) by the report.
import { describe, expect, it } from "vitest";
import { createSupervisorIntake, quarantinesOf } from "../../control-plane/supervisor-intake.ts";

const HASH = "b".repeat(64);
const froze = (id: string) => ({ label: `v6:production:${id}:${HASH}`, what: "method go", reason: "it froze the local runtime" });

/** An object service that records each quarantine, failing the first `failures` of them. */
function objects(failures = 0) {
  const taken: string[] = [];
  return {
    taken,
    quarantine: async (id: string, hash: string, record: { environment: string }) => {
      if (failures-- > 0) throw new Error("storage is busy");
      taken.push(`${record.environment}:${id}@${hash.slice(0, 4)}`);
    },
  };
}

describe("the supervisor's intake", () => {
  it("takes the quarantines the runtime started with once, before the first request goes on", async () => {
    const service = objects();
    const intake = createSupervisorIntake(service, [froze("a.do"), froze("b.do")]);
    expect(intake.pending).toBe(true);
    await intake.ready();
    expect(intake.pending).toBe(false);
    await intake.ready();
    expect(service.taken).toEqual(["production:a.do@bbbb", "production:b.do@bbbb"]);
  });

  it("only confirms, in the report, what it started with: an owner's release in between stands", async () => {
    const service = objects();
    const intake = createSupervisorIntake(service, [froze("a.do")]);
    await intake.ready();
    service.taken.length = 0;
    expect(await intake.report([froze("a.do"), froze("c.do")])).toEqual([`a.do@${HASH.slice(0, 12)}`, `c.do@${HASH.slice(0, 12)}`]);
    expect(service.taken).toEqual(["production:c.do@bbbb"]);
  });

  it("tries a failed intake again at the next request, and a report takes what the start could not", async () => {
    const service = objects(1);
    const intake = createSupervisorIntake(service, [froze("a.do")]);
    await intake.ready();
    expect(service.taken).toEqual([]);
    await intake.ready();
    expect(service.taken).toEqual(["production:a.do@bbbb"]);
    const failing = objects(2);
    const other = createSupervisorIntake(failing, [froze("a.do")]);
    await other.ready();
    // The report's own try at the start's list fails too: the report takes it.
    expect(await other.report([froze("a.do")])).toEqual([`a.do@${HASH.slice(0, 12)}`]);
    expect(failing.taken).toEqual(["production:a.do@bbbb"]);
  });

  it("reads the binding's list, and takes nothing from a damaged one", () => {
    expect(quarantinesOf(JSON.stringify([froze("a.do")]))).toEqual([froze("a.do")]);
    expect(quarantinesOf(undefined)).toEqual([]);
    expect(quarantinesOf("{not json")).toEqual([]);
    expect(quarantinesOf(JSON.stringify([{ label: 1 }]))).toEqual([]);
  });
});
