// How a contract diff reads: plain lines for `git push` (remote:) and the CLI, Markdown for GitHub (pure).
import type { ContractChange, ContractDiff } from "./diff.ts";

const SIGN: Record<ContractChange["change"], string> = { added: "+", removed: "-", "re-signed": "~", modified: "*" };

function changeText(change: ContractChange): string {
  const what = change.change === "re-signed" ? `${change.after} (was ${change.before})` : (change.after ?? change.before ?? change.name);
  return `${SIGN[change.change]} ${change.kind} ${what}${change.change === "modified" ? " (modified)" : ""}${change.breaking ? "  BREAKING" : ""}`;
}

/** The headline: counts, and whether anything breaks. */
export function diffHeadline(diff: ContractDiff): string {
  if (!diff.from) {
    const count = (kind: ContractChange["kind"]) => diff.changes.filter((change) => change.kind === kind).length;
    return `new object: ${count("method")} method(s), ${count("event")} event handler(s), ${count("schedule")} schedule(s), ${count("page")} page(s)`;
  }
  if (diff.changes.length === 0) return "contract unchanged";
  const breaking = diff.changes.filter((change) => change.breaking).length;
  return `${diff.changes.length} change(s)${breaking ? `, ${breaking} breaking` : ", none breaking"}`;
}

/** The warning of a breaking change inside a pinned range, or undefined. */
export function rangeBreakText(diff: ContractDiff): string | undefined {
  const r = diff.rangeBreak;
  return r && `breaking change published as ${r.to}, inside ${r.range} which clients of ${r.from} pin: publish it as ${r.suggested}`;
}

/** One line per change, then the range warning. New objects list nothing but the headline. */
export function diffLines(diff: ContractDiff): string[] {
  const warning = rangeBreakText(diff);
  return [...(diff.from ? diff.changes.map(changeText) : []), ...(warning ? [`warning: ${warning}`] : [])];
}

/** The same as Markdown, for a check run summary or a pull request comment. */
export function diffMarkdown(id: string, diff: ContractDiff): string {
  const base = diff.from ? ` (from ${diff.from.version ? `v${diff.from.version}` : diff.from.hash.slice(0, 12)})` : "";
  const lines = diffLines(diff).map((line) => (line.startsWith("warning: ") ? `> **Warning:** ${line.slice(9)}` : `- \`${line}\``));
  return [`**\`${id}\`**${base}: ${diffHeadline(diff)}${diff.breaking ? " ⚠️" : ""}`, ...lines].join("\n");
}
