// Text shown to people (remote: lines, the CLI, logs, check runs, the dashboard): control characters from outside
// escaped, sizes and spans of time written the one way (pure).
// Imports nothing: the CLI and the dashboard import this file directly (see tests/unit/architecture.test.ts).

// C0 and C1 controls, DEL, bidirectional controls and marks, line and paragraph separators, lone surrogates.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` with every character that could move the cursor, colour a terminal or reorder a line written as `\u{…}`. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (character) => `\\u{${character.charCodeAt(0).toString(16).padStart(4, "0")}}`);
}

/** Whether `text` holds a character `printable` would escape. */
export function hasUnprintable(text: string): boolean {
  UNPRINTABLE.lastIndex = 0;
  const found = UNPRINTABLE.test(text);
  UNPRINTABLE.lastIndex = 0;
  return found;
}

/** A size as people read it: KiB under a MiB, else MiB. */
export const sizeText = (bytes: number) => (bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 ** 2).toFixed(2)} MiB`);

/** A span of time in its largest whole unit: `3d`, `5h`, `12m`, `40s` (for ages and expiries). */
export function spanText(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 86_400_000) return `${Math.floor(abs / 86_400_000)}d`;
  if (abs >= 3_600_000) return `${Math.floor(abs / 3_600_000)}h`;
  return abs >= 60_000 ? `${Math.floor(abs / 60_000)}m` : `${Math.floor(abs / 1000)}s`;
}

/** A rate as a percentage: one decimal, three below 0.1% (so a tight bound still reads). */
export const rateText = (rate: number) => `${(rate * 100).toFixed(rate > 0 && rate < 0.001 ? 3 : 1)}%`;

/** A rollout policy's ramp and bounds: `steps 10→50→100% every 5m while error rate ≤ 1% and p99 ≤ 500 ms`. */
export const rolloutPolicyText = (policy: { steps: number[]; intervalMs: number; maxErrorRate: number; maxP99Ms: number }) =>
  `steps ${policy.steps.join("→")}% every ${spanText(policy.intervalMs)} while error rate ≤ ${policy.maxErrorRate * 100}% and p99 ≤ ${policy.maxP99Ms} ms`;

type SideStats = { calls: number; errorRate: number; p99Ms: number | null };

/** What one rollout step's analysis saw of both versions. */
export const analysisText = ({ canary, stable }: { canary: SideStats; stable: SideStats }) =>
  `canary ${canary.calls} calls, ${rateText(canary.errorRate)} errors, p99 ${canary.p99Ms ?? "-"} ms; stable ${stable.calls} calls, ${rateText(stable.errorRate)} errors, p99 ${stable.p99Ms ?? "-"} ms`;
