// `objects rollout <id> [status|pause|resume|promote|abort]`: where an object's rollout stands (its steps, each
// analysis, both versions' calls in the step running), and the commands that change it.
import type { Rollout, RolloutStatusResponse, RolloutSeriesPoint } from "../../schemas/index.ts";
import { analysisText, rateText, rolloutPolicyText } from "../../schemas/text.ts";
import { objectPath, request } from "../api.ts";
import type { Command } from "../command.ts";
import { CliError, EXIT } from "../errors.ts";
import { table } from "../output.ts";
import { requireToken, serverUrl } from "../settings.ts";

const ACTIONS = ["status", "pause", "resume", "promote", "abort"] as const;
const short = (hash: string) => hash.slice(0, 12);
const seen = (at: string) => at.replace(/\.\d+Z$/, "Z");
const percent = (failed: number, calls: number) => (calls === 0 ? "-" : rateText(failed / calls));

/** Both sides' calls in the step running, summed from the series. */
function stepTotals(series: RolloutSeriesPoint[], step: number) {
  const totals = { stable: { calls: 0, failed: 0, p99: 0 }, canary: { calls: 0, failed: 0, p99: 0 } };
  for (const point of series.filter((p) => p.step === step)) {
    const side = totals[point.arm];
    side.calls += point.calls;
    side.failed += point.failed;
    side.p99 = Math.max(side.p99, point.p99Ms ?? 0);
  }
  return totals;
}

export function rolloutLines({ id, rollout, nextAnalysisAt, series }: RolloutStatusResponse): string[] {
  if (!rollout) return [`${id}: no rollout yet (declare config.rollout in the definition: the next change then rolls out)`];
  const { policy } = rollout;
  const active = rollout.status === "progressing" || rollout.status === "paused";
  const head = active
    ? `${id}: ${rollout.status} at ${rollout.weight}% (step ${rollout.step + 1} of ${policy.steps.length})${nextAnalysisAt ? `, next analysis at ${seen(nextAnalysisAt)}` : ""}`
    : `${id}: ${rollout.status} at ${seen(rollout.endedAt ?? rollout.stepStartedAt)}: ${rollout.reason ?? ""}`;
  const totals = stepTotals(series, rollout.step);
  const sides = active
    ? ["", ...table([["side", "version", "calls this step", "errors", "p99 (slot max)"], ...(["canary", "stable"] as const).map((arm) => [arm, short(rollout[arm]), String(totals[arm].calls), percent(totals[arm].failed, totals[arm].calls), totals[arm].calls ? `${totals[arm].p99} ms` : "-"])])]
    : [];
  return [
    head,
    `canary ${short(rollout.canary)}, stable ${short(rollout.stable)}; ${rolloutPolicyText(policy)}${policy.methods ? `; methods ${policy.methods.join(", ")}` : ""}`,
    ...sides,
    "",
    ...table([["at", "event", "share", "detail"], ...rollout.history.map((event) => [seen(event.at), event.action, `${event.weight}%`, eventDetail(event)])]),
  ];
}

function eventDetail(event: Rollout["history"][number]): string {
  const by = event.by ? `by ${event.by}` : "";
  return [by, event.reason ?? "", event.analysis ? analysisText(event.analysis) : ""].filter(Boolean).join("; ");
}

export const rollout: Command = {
  usage: "rollout <id> [status|pause|resume|promote|abort] [--reason <text>]",
  summary: "where an object's rollout stands (steps, analyses, both versions' calls), or pause, resume, promote or abort it",
  options: { reason: { type: "string" } },
  required: 1,
  async run({ positionals, values, out }) {
    const [id, action = "status"] = positionals as [string, string | undefined];
    if (!(ACTIONS as readonly string[]).includes(action)) throw new CliError(`unknown rollout command "${action}": use ${ACTIONS.join(", ")}`, EXIT.usage);
    const api = { url: serverUrl(values.url as string | undefined), token: requireToken() };
    if (action !== "status") {
      const body = values.reason ? { reason: values.reason as string } : undefined;
      await request<{ rollout: Rollout }>(api, "POST", `${objectPath(id)}/rollout/${action}`, body);
    }
    const status = await request<RolloutStatusResponse>(api, "GET", `${objectPath(id)}/rollout`);
    out.result(rolloutLines(status), status);
  },
};
