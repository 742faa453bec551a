// The quarantines the local supervisor (`npm start`) hands the Worker. They travel with the restart (the binding
// `SUPERVISOR_QUARANTINES`) and are taken before the restarted runtime answers anything, so a version that froze the
// runtime cannot run again however long the supervisor's report takes on a busy machine; the report that follows
// only confirms them, and never quarantines again what an owner released in between.
import { QuarantineReportSchema } from "../schemas/index.ts";
import { parseLoaderId } from "../core/index.ts";
import type { ObjectService } from "./object-service.ts";

export type SupervisorQuarantine = { label: string; what: string; reason: string };


/** `crm.acme.com@3f9c2ab1c0de`, as the report's answer names what it quarantined. */
const shortName = (label: string) => {
  const named = parseLoaderId(label);
  return named && `${named.id}@${named.hash.slice(0, 12)}`;
};

/** The binding's JSON list; anything else is no list (a damaged value never stops the Worker). */
export function quarantinesOf(text: string | undefined): SupervisorQuarantine[] {
  try {
    const parsed = QuarantineReportSchema.shape.quarantines.safeParse(JSON.parse(text ?? "[]"));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export function createSupervisorIntake(objects: Pick<ObjectService, "quarantine">, atStart: SupervisorQuarantine[]) {
  const started = new Set(atStart.map((quarantine) => quarantine.label));
  let applied = atStart.length === 0;

  /** Quarantines each version named, returning `<id>@<hash12>` of each. */
  async function quarantine(list: SupervisorQuarantine[]): Promise<string[]> {
    const done: string[] = [];
    for (const { label, what, reason } of list) {
      const named = parseLoaderId(label);
      if (!named) continue;
      await objects.quarantine(named.id, named.hash, { reason, what, environment: named.environment });
      done.push(shortName(label)!);
    }
    return done;
  }

  /**
   * Takes the quarantines the runtime started with, unless a request already did. Each request does it in its own
   * I/O context, never awaiting another's (workerd cancels a request's I/O when its client goes, and a promise shared
   * with it would then never settle); requests that arrive together may each write them, which changes nothing.
   */
  async function ready(): Promise<void> {
    if (applied) return;
    try {
      await quarantine(atStart);
      applied = true;
    } catch (error) {
      console.error(`objects.do: the supervisor's quarantines were not taken yet (the next request tries again): ${(error as Error).message}`);
    }
  }

  return {
    ready,
    /** Whether the quarantines the runtime started with are still to be taken (requests then wait for `ready`). */
    get pending(): boolean {
      return !applied;
    },
    /** The supervisor's report: what the runtime started with (and took) is only confirmed, as an owner may have released it since. */
    async report(list: SupervisorQuarantine[]): Promise<string[]> {
      await ready();
      const taken = (entry: SupervisorQuarantine) => applied && started.has(entry.label);
      const fresh = await quarantine(list.filter((entry) => !taken(entry)));
      return [...list.filter(taken).flatMap(({ label }) => shortName(label) ?? []), ...fresh];
    },
  };
}

export type SupervisorIntake = ReturnType<typeof createSupervisorIntake>;
