// `objects usage <id[@ref]> [--days <n>] [--ref <ref>]`: which versions and refs were called, by whom, how often and
// when last, over the last days (every call is counted; the call log keeps only a sample).
import type { UsageReport } from "../../schemas/index.ts";
import { objectPath, request } from "../api.ts";
import type { Command } from "../command.ts";
import { table } from "../output.ts";
import { requireToken, serverUrl } from "../settings.ts";

const seen = (at: string) => at.replace(/\.\d+Z$/, "Z");

export function usageLines(report: UsageReport): string[] {
  if (report.total.calls === 0) return [`${report.id}: no calls${report.ref ? ` of ${report.ref}` : ""} since ${report.since} (${report.environment})`];
  return [
    `${report.id}: ${report.total.calls} calls (${report.total.failed} failed) since ${report.since}${report.ref ? `, ref ${report.ref}` : ""} (${report.environment})`,
    "",
    ...table([["version", "refs called", "calls", "failed", "last seen"], ...report.versions.map((v) => [v.hash.slice(0, 12), v.refs.join(","), String(v.calls), String(v.failed), seen(v.lastSeen)])]),
    "",
    ...table([["caller", "calls", "last seen"], ...report.callers.map((c) => [c.caller, String(c.calls), seen(c.lastSeen)])]),
  ];
}

export const usage: Command = {
  usage: "usage <id[@ref]> [--days <n>] [--ref <ref>]",
  summary: "who calls which versions and refs of an object, how often, last seen (30 days by default)",
  options: { days: { type: "string" }, ref: { type: "string" } },
  required: 1,
  async run({ positionals, values, out }) {
    const api = { url: serverUrl(values.url as string | undefined), token: requireToken() };
    const query = new URLSearchParams({ days: String(values.days ?? 30), ...(values.ref ? { ref: values.ref as string } : {}) });
    const report = await request<UsageReport>(api, "GET", `${objectPath(positionals[0]!)}/__usage?${query}`);
    out.result(usageLines(report), report);
  },
};
