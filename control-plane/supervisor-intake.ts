// The quarantines the local supervisor (`npm start`) hands the Worker. They travel with the restart (the binding
// `SUPERVISOR_QUARANTINES`) and are taken before the restarted runtime answers anything, so a version that froze the
// runtime cannot run again however long the supervisor's report takes on a busy machine; the report that follows
// only confirms them, and never quarantines again what an owner released in between.
import { QuarantineReportSchema } from "../schemas/index.ts";
import type { ObjectService } from "./object-service.ts";

export type SupervisorQuarantine = { label: string; what: string; reason: string };

/** `v6:<environment>:<id>:<hash>`, the loader id a sandboxed call notes (ids and environments hold no `:`). */
export function parseLabel(label: string): { environment: string; id: string; hash: string } | null {
  const [, environment, id, hash, ...rest] = label.split(":");
  return environment && id && hash && /^[0-9a-f]{64}$/.test(hash) && rest.length === 0 ? { environment, id, hash } : null;
}

/** `crm.acme.com@3f9c2ab1c0de`, as the report's answer names what it quarantined. */
const shortName = (label: string) => {
  const named = parseLabel(label);
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
  let taken: Promise<void> | undefined;
  let applied = atStart.length === 0;

  /** Quarantines each version named, returning `<id>@<hash12>` of each. */
  async function quarantine(list: SupervisorQuarantine[]): Promise<string[]> {
    const done: string[] = [];
    for (const { label, what, reason } of list) {
      const named = parseLabel(label);
      if (!named) continue;
      await objects.quarantine(named.id, named.hash, { reason, what, environment: named.environment });
      done.push(shortName(label)!);
    }
    return done;
  }

  const ready = (): Promise<void> =>
    (taken ??= quarantine(atStart).then(
      () => void (applied = true),
      (error: unknown) => {
        taken = undefined;
        console.error(`objects.do: the supervisor's quarantines were not taken yet: ${(error as Error).message}`);
      },
    ));

  return {
    /** Resolves once the quarantines the runtime started with are taken; a failure is tried again by the next request. */
    ready,
    /** The supervisor's report: what the runtime started with (and took) is only confirmed, as an owner may have released it since. */
    async report(list: SupervisorQuarantine[]): Promise<string[]> {
      await ready();
      const confirmed = applied ? list.filter((quarantine) => started.has(quarantine.label)) : [];
      const fresh = await quarantine(list.filter((quarantine) => !confirmed.includes(quarantine)));
      return [...confirmed.flatMap(({ label }) => shortName(label) ?? []), ...fresh];
    },
  };
}

export type SupervisorIntake = ReturnType<typeof createSupervisorIntake>;
