// The local runtime's supervisor (`npm start`): local workerd enforces neither CPU nor memory limits per isolate, so one
// definition can freeze or abort it. This notices (a probe that stops answering, the runtime's output closing),
// restarts workerd on the same state, and quarantines the version whose call was running when it stopped: the Worker
// prints a start and an end line around each sandboxed call, signed with a secret only it and the supervisor know.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { parseInFlight, parseLoaderId } from "../core/supervision.ts";

export interface Incident {
  at: string;
  kind: "froze" | "crashed";
  /** The loader id of the version that was running (`v6:<environment>:<id>:<hash>`), and what of it. */
  label?: string;
  what?: string;
  detail?: string;
}

export interface SupervisorState {
  restarts: number;
  incidents: Incident[];
  /**
   * Quarantines the Worker has not confirmed: a restarted runtime is given them (`SUPERVISOR_QUARANTINES`) and takes
   * them before it answers anything; the report after the restart confirms them. Kept across `npm start` runs.
   */
  pending: Array<{ label: string; what: string; reason: string }>;
  /** The last incident named no call (a trusted version did it): every call is noted until one is named. */
  careful?: boolean;
  /** Restarts of this run that released an idle runtime's memory (see `idle`). */
  releases?: number;
}

/**
 * Local workerd never unloads a loaded definition (nor gives back memory of Durable Objects it evicted): only a
 * restart returns it. An idle runtime holding more than `overMb` is restarted on the same state after `afterMs`
 * in which it used under 2% of a core (an idle runtime answering the probes uses about 0.4%).
 */
export interface IdleRelease {
  afterMs: number;
  overMb: number;
  sample(): { cpuMs: number; rssMb: number };
}

const IDLE_CPU_SHARE = 0.02;
/**
 * A frozen runtime's CPU without an answer. The call guard stops a spinning call after its tick budget (200M ticks:
 * well under a second of CPU here), so only code the guard cannot reach (a native regex, a huge allocation) gets here.
 */
const FROZEN_CPU_MS = 1500;
/** Starts of workerd tried per restart, and how long the pipe gets to deliver lines already written. */
const RESTART_ATTEMPTS = 5;
const DRAIN_MS = 50;
const REPORT_AGAIN_MS = 10_000;
/** With CPU judgement, how long a runtime that spends no CPU may leave probes unanswered (a stopped process). */
const PROBE_CEILING_MS = 30_000;
const JUDGED_PROBE_MS = 250;
/** Failed probes in a row across which a version's first call (compiling it) must stay in flight to count as a freeze. */
const COLD_FAILURES = 2;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SupervisorOptions {
  marker: string;
  stateFile: string;
  /** Restarts workerd with the state the Worker should show (`SUPERVISOR_STATE`). */
  restart(state: SupervisorState): Promise<void>;
  /** Asks the runtime whether it answers (`GET /_/health`), within `timeoutMs`. */
  probe(timeoutMs: number): Promise<boolean>;
  /**
   * CPU milliseconds the runtime has used so far (Linux /proc). Given, a probe fails only once the runtime spent
   * `frozenCpuMs` of CPU without answering it: on a busy machine a runtime that yields answers late but spends little
   * CPU meanwhile, while a frozen one spends a core. Without it, wall time alone decides.
   */
  runtimeCpuMs?(): number;
  /** CPU a runtime may spend without answering a probe before it counts as frozen (above what the call guard allows). */
  frozenCpuMs?: number;
  /** Tells the Worker which versions to quarantine (it took those it started with: for them, a confirmation). */
  report(quarantines: SupervisorState["pending"]): Promise<void>;
  print(line: string): void;
  probeEveryMs?: number;
  probeTimeoutMs?: number;
  /** Between two attempts to start workerd. */
  restartPauseMs?: number;
  /**
   * Probes in a row that must fail before the runtime counts as frozen. With a sandboxed call in flight across the
   * failed probe one is enough (two for a version's first call, which compiles it): code that waits never blocks the
   * probe, only code that holds the thread does.
   */
  failures?: number;
  idle?: IdleRelease;
}

interface Running {
  label: string;
  what: string;
  order: number;
  /** The version's first call in this runtime: it loads and compiles the definition before any of its code runs. */
  cold: boolean;
  /** Failed probes in a row this call was in flight across. */
  across: number;
}

/** `v6:production:crm.acme.com:3f9c…` → `crm.acme.com@3f9c2ab1 (production)`. */
export function describeLabel(label: string): { id: string; hash: string; environment: string; text: string } | null {
  const parsed = parseLoaderId(label);
  if (!parsed) return null;
  const { id, hash, environment } = parsed;
  return { id, hash, environment, text: `${id}@${hash.slice(0, 12)}${environment === "production" ? "" : ` (${environment})`}` };
}

function readState(file: string): SupervisorState {
  try {
    if (existsSync(file)) {
      const stored = JSON.parse(readFileSync(file, "utf8")) as Partial<SupervisorState>;
      return { restarts: 0, incidents: (stored.incidents ?? []).slice(-20), pending: stored.pending ?? [], ...(stored.careful ? { careful: true } : {}) };
    }
  } catch {
    // A damaged file starts afresh: it only holds what the next restart reports.
  }
  return { restarts: 0, incidents: [], pending: [] };
}

export function createSupervisor(options: SupervisorOptions) {
  const { marker, stateFile, print } = options;
  const state = readState(stateFile);
  const running = new Map<string, Running>();
  let order = 0;
  let restarting = false;
  let failed = 0;
  let lastCrashDetail: string | undefined;
  // Since when the runtime has been idle, and its CPU time at the last probe.
  let quiet: { since: number; cpuMs: number; at: number } | undefined;
  // Quarantines the Worker did not take are reported again, at most this often.
  let reportAgainAt = 0;
  const save = () => writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);

  /** The runtime's output: in-flight lines are read, everything else is passed on as Miniflare would. */
  function attach(stdout: Readable, stderr: Readable): void {
    createInterface(stdout).on("line", (line) => {
      const noted = parseInFlight(marker, line);
      if (!noted) return void console.log(line);
      const { kind, call, label, what } = noted;
      const key = `${label}#${call}`;
      if (kind === "start" || kind === "start-cold") running.set(key, { label, what, order: ++order, cold: kind === "start-cold", across: 0 });
      else running.delete(key);
    });
    createInterface(stderr).on("line", (line) => {
      if (/heap limit|out of memory|Fatal/i.test(line)) lastCrashDetail = line.trim().slice(0, 200);
      console.error(line);
    });
    // The runtime's output ends when it dies (an abort), or when a restart replaced it.
    stdout.once("close", () => {
      if (!restarting) void incident("crashed");
    });
  }

  async function incident(kind: Incident["kind"]): Promise<void> {
    if (restarting) return;
    restarting = true;
    const culprit = [...running.values()].sort((a, b) => b.order - a.order)[0];
    const also = running.size - (culprit ? 1 : 0);
    running.clear();
    const entry: Incident = { at: new Date().toISOString(), kind, ...(culprit ? { label: culprit.label, what: culprit.what } : {}), ...(kind === "crashed" && lastCrashDetail ? { detail: lastCrashDetail } : {}) };
    state.restarts++;
    state.careful = !culprit;
    state.incidents = [...state.incidents, entry].slice(-20);
    const reason = kind === "froze" ? "it froze the local runtime" : `it crashed the local runtime${lastCrashDetail ? ` (${lastCrashDetail})` : ""}`;
    if (culprit) state.pending.push({ label: culprit.label, what: culprit.what, reason });
    save();
    const named = culprit && describeLabel(culprit.label);
    print(
      named
        ? `objects.do: the runtime ${kind === "froze" ? "froze" : "crashed"} running ${named.text} ${culprit!.what}${also > 0 ? ` (${also} other call(s) were in flight)` : ""}; restarting on the same state (restart ${state.restarts}). That version is quarantined: publish a new one, or release it with objects release ${named.id} ${named.hash.slice(0, 12)}`
        : `objects.do: the runtime ${kind === "froze" ? "froze" : "crashed"} with no noted call in flight (versions are trusted after 100 calls); restarting on the same state (restart ${state.restarts}), noting every call until the next incident names one`,
    );
    lastCrashDetail = undefined;
    await restartRuntime();
  }

  /**
   * Restarts workerd on the same state, trying again when a start fails (a busy machine), and reports what is to be
   * quarantined; watching then starts afresh. Calls the old runtime noted never end: they are forgotten.
   */
  async function restartRuntime(): Promise<void> {
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await options.restart(state);
          break;
        } catch (error) {
          print(`objects.do: the restart failed (attempt ${attempt} of ${RESTART_ATTEMPTS}): ${(error as Error).message}`);
          if (attempt === RESTART_ATTEMPTS) return;
          await pause(options.restartPauseMs ?? 1000);
        }
      }
      running.clear();
      await catchUp().catch((error: Error) => print(`objects.do: quarantines not yet confirmed (asked again at the next probe): ${error.message}`));
    } finally {
      failed = 0;
      quiet = undefined;
      restarting = false;
    }
  }

  /** Restarts an idle runtime that holds more than its budget: nothing is in flight, every state is on disk. */
  async function releaseIfIdle(idle: IdleRelease): Promise<void> {
    const now = Date.now();
    const { cpuMs, rssMb } = idle.sample();
    const busy = quiet !== undefined && cpuMs - quiet.cpuMs > (now - quiet.at) * IDLE_CPU_SHARE;
    if (quiet === undefined || busy || running.size > 0) quiet = { since: now, cpuMs, at: now };
    else quiet = { ...quiet, cpuMs, at: now };
    if (now - quiet.since < idle.afterMs || rssMb <= idle.overMb) return;
    restarting = true;
    state.releases = (state.releases ?? 0) + 1;
    save();
    print(`objects.do: the runtime was idle for ${Math.round((now - quiet.since) / 1000)} s holding ${Math.round(rssMb)} MB (loaded definitions are never unloaded locally); restarting on the same state to release it`);
    await restartRuntime();
  }

  /**
   * One probe, judged: with the runtime's CPU time at hand, an unanswered probe is asked again until the runtime
   * answers or has spent `frozenCpuMs` of CPU since the first ask (so a slow machine never makes a freeze).
   */
  async function probeJudged(timeout: number): Promise<boolean> {
    const cpu = options.runtimeCpuMs;
    if (!cpu) return options.probe(timeout);
    const started = Date.now();
    const before = cpu();
    for (;;) {
      // Short asks, so a frozen runtime is seen soon after it spent its CPU; a slow one is simply asked again.
      if (await options.probe(Math.min(timeout, JUDGED_PROBE_MS))) return true;
      if (cpu() - before >= (options.frozenCpuMs ?? FROZEN_CPU_MS) || Date.now() - started >= PROBE_CEILING_MS) return false;
    }
  }

  /** Probes the runtime until stopped; a run of failed probes is a freeze. */
  function watch(): () => void {
    const every = options.probeEveryMs ?? 500;
    const timeout = options.probeTimeoutMs ?? 1000;
    const needed = options.failures ?? 3;
    let stopped = false;
    const tick = async () => {
      if (stopped) return;
      if (!restarting) {
        const before = [...running.keys()];
        const answered = await probeJudged(timeout);
        failed = answered ? 0 : failed + 1;
        // An end line the runtime wrote while the probe timed out may not have been read yet: read it first. A call
        // only froze the runtime if it was in flight before the probe and still is, across as many failed probes in a
        // row as it needs (an answered probe shows the thread free again).
        if (!answered) await pause(DRAIN_MS);
        let stuck = false;
        if (answered) for (const call of running.values()) call.across = 0;
        else {
          // Judged by CPU, a failed probe already proves a held thread: compiling a definition takes no such time.
          const cold = options.runtimeCpuMs ? 1 : COLD_FAILURES;
          for (const call of before.map((key) => running.get(key))) if (call && ++call.across >= (call.cold ? cold : 1)) stuck = true;
        }
        if (failed >= needed || stuck) await incident("froze");
        else if (answered && state.pending.length > 0 && Date.now() >= reportAgainAt) {
          reportAgainAt = Date.now() + REPORT_AGAIN_MS;
          await catchUp().catch(() => undefined);
        }
        else if (answered && options.idle) await releaseIfIdle(options.idle);
      }
      if (!stopped) timer = setTimeout(tick, every);
    };
    let timer = setTimeout(tick, every);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  /** Reports quarantines an earlier run could not (the supervisor stopped before the Worker took them). */
  async function catchUp(): Promise<void> {
    if (state.pending.length === 0) return;
    await options.report(state.pending);
    state.pending = [];
    save();
  }

  return { attach, watch, catchUp, state: () => state };
}
