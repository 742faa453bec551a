// What a rollout says on GitHub (pure): its own section of the canary commit's check run, updated at every step.
import { analysisText, isActive, printable, rolloutPolicyText, type Rollout } from "../../schemas/index.ts";
import type { CommitReport } from "../github/reporter.ts";

/** The check run section of a rollout: where it stands, then every step with the analysis that decided it. */
export function rolloutReport(id: string, rollout: Rollout): CommitReport {
  const { policy } = rollout;
  const active = isActive(rollout);
  const title = active ? `rollout of ${id}: ${rollout.status} at ${rollout.weight}%` : `rollout of ${id}: ${rollout.status}`;
  const rows = rollout.history.map((event) => {
    const detail = [event.by ? `by ${event.by}` : "", event.reason ?? "", event.analysis ? analysisText(event.analysis) : ""].filter(Boolean).join("; ");
    return `| ${event.at.replace(/\.\d+Z$/, "Z")} | ${event.action} | ${event.weight}% | ${printable(detail).replaceAll("|", "\\|")} |`;
  });
  const summary = [
    `Canary \`${rollout.canary.slice(0, 12)}\`, stable \`${rollout.stable.slice(0, 12)}\`: ${rolloutPolicyText(policy)}${policy.methods ? ` (methods ${policy.methods.map((m) => `\`${printable(m)}\``).join(", ")})` : ""}.`,
    ...(rollout.reason && !active ? ["", printable(rollout.reason)] : []),
    "",
    "| at | event | share | detail |",
    "|---|---|---|---|",
    ...rows,
  ].join("\n");
  return { conclusion: rollout.status === "aborted" ? "failure" : "success", title, summary, annotations: [] };
}
