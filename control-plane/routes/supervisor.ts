// `POST /_/supervisor/quarantine`: the local supervisor (`npm start`) reports which versions froze or killed the
// runtime; each is quarantined (see supervisor-intake.ts). Only the supervisor holds the secret this route checks. Thin.
import type { Hono } from "hono";
import { ObjectsError, parseJsonText, readLimitedText } from "../../core/index.ts";
import { QuarantineReportSchema } from "../../schemas/index.ts";
import { jsonResponse } from "../http/json.ts";
import type { SupervisorIntake } from "../supervisor-intake.ts";

export interface SupervisorRouteDeps {
  /** `SUPERVISOR_MARKER`: unset (production, tests), the route is not mounted (404). */
  marker: string;
  intake: Pick<SupervisorIntake, "report">;
}

async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = [new TextEncoder().encode(given), new TextEncoder().encode(expected)];
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
}

export function supervisorRoutes(app: Hono, { marker, intake }: SupervisorRouteDeps): void {
  app.post("/_/supervisor/quarantine", async (c) => {
    if (!(await sameSecret(c.req.header("x-objects-supervisor") ?? "", marker))) throw new ObjectsError("supervisor-only", "only the local supervisor reports quarantines");
    const parsed = QuarantineReportSchema.safeParse(parseJsonText(await readLimitedText(c.req.raw, 65_536, "the report"), "the report"));
    if (!parsed.success) throw new ObjectsError("report-invalid", "a report is {\"quarantines\": [{label, what, reason}]}");
    return jsonResponse({ quarantined: await intake.report(parsed.data.quarantines) });
  });
}
