// `POST /_/supervisor/quarantine`: the local supervisor (`npm start`) reports, after a restart, which versions froze or
// killed the runtime; each is quarantined. Only the supervisor holds the secret this route checks. Thin.
import type { Hono } from "hono";
import { ObjectsError, parseJsonText, readLimitedText } from "../../core/index.ts";
import { QuarantineReportSchema } from "../../schemas/index.ts";
import { jsonResponse } from "../http/json.ts";
import type { ObjectService } from "../object-service.ts";

export interface SupervisorRouteDeps {
  /** `SUPERVISOR_MARKER`: unset (production, tests), the route answers 404. */
  marker?: string;
  objects: Pick<ObjectService, "quarantine">;
}

/** `v5:<environment>:<id>:<hash>`, the loader id a sandboxed call notes (ids and environments hold no `:`). */
function parseLabel(label: string): { environment: string; id: string; hash: string } | null {
  const [, environment, id, hash, ...rest] = label.split(":");
  return environment && id && hash && /^[0-9a-f]{64}$/.test(hash) && rest.length === 0 ? { environment, id, hash } : null;
}

async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = [new TextEncoder().encode(given), new TextEncoder().encode(expected)];
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
}

export function supervisorRoutes(app: Hono, { marker, objects }: SupervisorRouteDeps): void {
  app.post("/_/supervisor/quarantine", async (c) => {
    if (!marker) throw new ObjectsError("not-found", "no such management endpoint");
    if (!(await sameSecret(c.req.header("x-objects-supervisor") ?? "", marker))) throw new ObjectsError("supervisor-only", "only the local supervisor reports quarantines");
    const parsed = QuarantineReportSchema.safeParse(parseJsonText(await readLimitedText(c.req.raw, 65_536, "the report"), "the report"));
    if (!parsed.success) throw new ObjectsError("report-invalid", "a report is {\"quarantines\": [{label, what, reason}]}");
    const done: string[] = [];
    for (const { label, what, reason } of parsed.data.quarantines) {
      const named = parseLabel(label);
      if (!named) continue;
      await objects.quarantine(named.id, named.hash, { reason, what, environment: named.environment });
      done.push(`${named.id}@${named.hash.slice(0, 12)}`);
    }
    return jsonResponse({ quarantined: done });
  });
}
