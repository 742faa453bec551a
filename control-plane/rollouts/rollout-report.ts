// What a rollout says on GitHub (pure): its own section of the canary commit's check run, updated at every step.
import { printable, spanText, type Rollout } from "../../schemas/index.ts";
import type { CommitReport } from "../github/reporter.ts";

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/** The check run section of a rollout: where it stands, then every step with the analysis that decided it. */
export function rolloutReport(id: string, rollout: Rollout): CommitReport {
  const { policy } = rollout;
  const active = rollout.status === "progressing" || rollout.status === "paused";
  const title = active ? `rollout of ${id}: ${rollout.status} at ${rollout.weight}%` : `rollout of ${id}: ${rollout.status}`;
  const rows = rollout.history.map((event) => {
    const a = event.analysis;
    const analysis = a ? `canary ${a.canary.calls} calls, ${percent(a.canary.errorRate)} errors, p99 ${a.canary.p99Ms ?? "-"} ms; stable ${a.stable.calls} calls, ${percent(a.stable.errorRate)} errors, p99 ${a.stable.p99Ms ?? "-"} ms` : "";
    const detail = [event.by ? `by ${event.by}` : "", event.reason ?? "", analysis].filter(Boolean).join("; ");
    return `| ${event.at.replace(/\.\d+Z$/, "Z")} | ${event.action} | ${event.weight}% | ${printable(detail).replaceAll("|", "\\|")} |`;
  });
  const summary = [
    `Canary \`${rollout.canary.slice(0, 12)}\`, stable \`${rollout.stable.slice(0, 12)}\`: steps ${policy.steps.join("→")}% every ${spanText(policy.intervalMs)} while the error rate stays ≤ ${percent(policy.maxErrorRate)} and p99 ≤ ${policy.maxP99Ms} ms${policy.methods ? ` (methods ${policy.methods.map((m) => `\`${printable(m)}\``).join(", ")})` : ""}.`,
    ...(rollout.reason && !active ? ["", printable(rollout.reason)] : []),
    "",
    "| at | event | share | detail |",
    "|---|---|---|---|",
    ...rows,
  ].join("\n");
  return { conclusion: rollout.status === "aborted" ? "failure" : "success", title, summary, annotations: [] };
}
