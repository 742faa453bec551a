// `objects usage <id[@ref]>`: which versions and refs were called, by whom, how often and when last (every call is
// counted; the call log keeps only a sample). `objects retire <id> <version>`: what that evidence is for.
import type { RetireResponse, UsageReport } from "../../schemas/index.ts";
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

export const retire: Command = {
  usage: "retire <id> <version> [--days <n>] [--force] [--restore]",
  summary: "make a version answer 410 pointing at latest; refused while it was called in the last days (30) unless --force",
  options: { days: { type: "string" }, force: { type: "boolean" }, restore: { type: "boolean" } },
  required: 2,
  async run({ positionals, values, out }) {
    const api = { url: serverUrl(values.url as string | undefined), token: requireToken() };
    const [id, ref] = positionals as [string, string];
    const body = { ref, ...(values.days ? { days: Number(values.days) } : {}), ...(values.force ? { force: true } : {}), ...(values.restore ? { restore: true } : {}) };
    const answer = await request<RetireResponse>(api, "POST", `${objectPath(id)}/__retire`, body);
    const named = answer.versions.length ? answer.versions.map((v) => `v${v}`).join(", ") : answer.hash.slice(0, 12);
    const calls = answer.usage.calls ? `; it answered ${answer.usage.calls} calls in the last ${answer.usage.days} days, last at ${answer.usage.lastSeen}` : `; no calls in the last ${answer.usage.days} days`;
    out.result(`${answer.id}: ${named} ${answer.retired ? "retired, it answers 410" : "restored, it answers again"}${calls}`, answer);
  },
};
