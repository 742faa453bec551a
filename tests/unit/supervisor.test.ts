// The supervisor's judgement, against a stand-in runtime (its output streams, its probe, its restarts): what counts
// as a freeze, what a restart forgets, and that a failed start or a refused report is tried again, not an incident.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createSupervisor, type IdleRelease, type SupervisorOptions } from "../../scripts/supervisor.ts";

const MARKER = "od-test";
const LABEL = `v6:production:slow.do:${"a".repeat(64)}`;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A runtime whose probe answers as `health` says (false: it times out after `timeoutMs`), and what happened to it. */
function runtime(overrides: Partial<SupervisorOptions> = {}) {
  let stdout = new PassThrough();
  const seen = { restarts: 0, failStarts: 0, reports: [] as string[][], refuseReports: 0, printed: [] as string[] };
  const world = {
    healthy: true,
    lastWords: undefined as string | undefined,
    /** Probes that time out before the runtime answers again (a busy thread that frees itself). */
    stalls: 0,
    /** Lines the runtime writes while a probe times out. */
    whileTimingOut: [] as string[],
    seen,
    /** Writes a line on the runtime's output, as workerd's console.log does. */
    line: (text: string) => stdout.write(`${text}\n`),
  };
  const supervisor = createSupervisor({
    marker: MARKER,
    stateFile: join(mkdtempSync(join(tmpdir(), "supervisor-")), "state.json"),
    restart: async () => {
      if (seen.failStarts > 0) {
        seen.failStarts--;
        throw new Error("The Workers runtime failed to start");
      }
      // A call may start on the old runtime while the restart is under way (its start line is read, its end never).
      if (world.lastWords) stdout.write(`${world.lastWords}\n`);
      await wait(10);
      seen.restarts++;
      // A killed runtime's output never closes (Miniflare destroys the pipe); the new one gets its own.
      stdout = new PassThrough();
      supervisor.attach(stdout, new PassThrough());
      world.healthy = true;
    },
    probe: async (timeoutMs) => {
      if (world.stalls > 0) {
        world.stalls--;
        await wait(timeoutMs);
        return false;
      }
      if (world.healthy) return true;
      await wait(timeoutMs);
      // What the runtime wrote meanwhile reaches the supervisor through the pipe, after the timeout fired.
      const written = world.whileTimingOut.splice(0);
      setImmediate(() => written.forEach(world.line));
      return false;
    },
    report: async (quarantines) => {
      if (seen.refuseReports > 0) {
        seen.refuseReports--;
        throw new Error("the Worker did not take the quarantine: 500");
      }
      seen.reports.push(quarantines.map((q) => q.label));
    },
    print: (line) => seen.printed.push(line),
    probeEveryMs: 20,
    probeTimeoutMs: 100,
    restartPauseMs: 10,
    ...overrides,
  });
  supervisor.attach(stdout, new PassThrough());
  stops.push(supervisor.watch());
  return { supervisor, world };
}

const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await wait(10);
  }
}

describe("the supervisor", () => {
  it("counts a call in flight across a failed probe as a freeze, and quarantines its version", async () => {
    const { supervisor, world } = runtime();
    world.line(`${MARKER} start 1 ${LABEL} method spin`);
    await wait(30);
    world.healthy = false;
    await until(() => world.seen.restarts === 1, "the restart");
    expect(supervisor.state().restarts).toBe(1);
    expect(supervisor.state().incidents[0]).toMatchObject({ kind: "froze", label: LABEL, what: "method spin" });
    expect(world.seen.reports).toEqual([[LABEL]]);
  });

  it("gives a version's first call in a runtime (it compiles the definition) two failed probes, not one", async () => {
    const { supervisor, world } = runtime();
    world.line(`${MARKER} start-cold 1 ${LABEL} method big`);
    await wait(30);
    // Compiling a large definition holds the thread past one probe's deadline, then the call runs and ends.
    world.stalls = 1;
    await until(() => world.stalls === 0, "the slow probe");
    await wait(60);
    world.line(`${MARKER} end 1 ${LABEL}`);
    expect(supervisor.state().restarts).toBe(0);
    // A first call that holds the thread across two probes in a row froze it.
    world.line(`${MARKER} start-cold 2 ${LABEL} method spin`);
    await wait(30);
    world.healthy = false;
    await until(() => world.seen.restarts === 1, "the restart");
    expect(supervisor.state().incidents[0]).toMatchObject({ kind: "froze", label: LABEL, what: "method spin" });
  });

  it("judges by the runtime's CPU: a slow runtime that spends little CPU is busy, one that spends a core is frozen", async () => {
    let cpu = 0;
    let perProbe = 10;
    const { supervisor, world } = runtime({ runtimeCpuMs: () => (cpu += perProbe), frozenCpuMs: 500 });
    world.line(`${MARKER} start 1 ${LABEL} method busy`);
    await wait(30);
    // A loaded machine: five probes time out in a row, the runtime spending 10 ms of CPU over each.
    world.stalls = 5;
    await until(() => world.stalls === 0, "the slow probes");
    await wait(60);
    expect(world.seen.restarts).toBe(0);
    // The same call now holds a core without answering: a freeze, named.
    perProbe = 200;
    world.healthy = false;
    await until(() => world.seen.restarts === 1, "the restart");
    expect(supervisor.state().incidents[0]).toMatchObject({ kind: "froze", label: LABEL, what: "method busy" });
  });

  it("does not count a call whose end line arrives while the probe times out", async () => {
    const { supervisor, world } = runtime({ failures: 3 });
    world.line(`${MARKER} start 1 ${LABEL} method slow`);
    await wait(30);
    // The machine is busy: one probe times out, and the call's end line is written just as it does.
    world.whileTimingOut.push(`${MARKER} end 1 ${LABEL}`);
    world.healthy = false;
    await until(() => world.whileTimingOut.length === 0, "the slow probe");
    world.healthy = true;
    await wait(200);
    expect(supervisor.state().restarts).toBe(0);
    expect(world.seen.restarts).toBe(0);
  });

  it("forgets the calls of a runtime it restarted: their end lines never come", async () => {
    let rss = 500;
    const idle: IdleRelease = { afterMs: 50, overMb: 100, sample: () => ({ cpuMs: 0, rssMb: rss }) };
    const { supervisor, world } = runtime({ idle, failures: 3 });
    // An idle release; a call starts on the old runtime just before it is killed.
    world.lastWords = `${MARKER} start 7 ${LABEL} method late`;
    await until(() => world.seen.restarts === 1, "the idle release");
    rss = 0;
    world.lastWords = undefined;
    await wait(50);
    // One slow probe now must not name that call (it ended with its runtime).
    world.healthy = false;
    await wait(150);
    world.healthy = true;
    await wait(100);
    expect(supervisor.state()).toMatchObject({ restarts: 0, releases: 1, incidents: [] });
  });

  it("tries a failed start again within the same restart: a release stays a release", async () => {
    const idle: IdleRelease = { afterMs: 50, overMb: 100, sample: () => ({ cpuMs: 0, rssMb: 500 }) };
    const { supervisor, world } = runtime({ idle });
    world.seen.failStarts = 2;
    await until(() => world.seen.restarts >= 1, "the restart");
    expect(world.seen.printed.filter((line) => line.includes("the restart failed (attempt"))).toHaveLength(2);
    expect(supervisor.state().restarts).toBe(0);
    expect(supervisor.state().releases).toBeGreaterThanOrEqual(1);
  });

  it("reports a quarantine the Worker did not take at the next probe", async () => {
    const { supervisor, world } = runtime();
    world.seen.refuseReports = 1;
    world.line(`${MARKER} start 1 ${LABEL} method spin`);
    await wait(30);
    world.healthy = false;
    await until(() => world.seen.reports.length === 1, "the second report");
    expect(world.seen.reports).toEqual([[LABEL]]);
    expect(supervisor.state().pending).toEqual([]);
    expect(world.seen.printed.some((line) => line.includes("quarantines not yet confirmed"))).toBe(true);
  });
});
