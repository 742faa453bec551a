// What a rollout says to people (pure): one line after a publish (git push `remote:` lines, the check run, PUT).
import { rolloutPolicyText } from "../../schemas/index.ts";
import type { PublishOutcome } from "../../registry/index.ts";

const short = (hash: string) => hash.slice(0, 12);

/** The line a publication's effect on rollouts is reported with. */
export function rolloutLine(id: string, { change, record }: NonNullable<PublishOutcome["rollout"]>): string {
  if (change === "ended") return `${id}: the rollout of ${short(record.canary)} ended: ${record.reason}`;
  const { policy } = record;
  const started = change === "replaced" ? "rollout restarted with a new canary" : "rollout started";
  const scope = policy.methods ? ` (methods ${policy.methods.join(", ")})` : "";
  return `${id}: ${started}: ${record.weight}% of @latest calls${scope} go to ${short(record.canary)}, the rest stay on ${short(record.stable)}; ${rolloutPolicyText(policy)}`;
}
