// `objects logs <id[@ref]> [--follow]`: recent calls, event handler runs and schedule runs of an object in the
// environment its ref names, merged by time; failures are marked. --follow polls for new records every second.
import type { ObjectRecordsResponse } from "../../schemas/index.ts";
import { objectPath, request, type ApiOptions } from "../api.ts";
import type { Command } from "../command.ts";
import { requireToken, serverUrl } from "../settings.ts";

export interface LogRecord {
  /** `call`, `event` or `schedule`, with the per-kind sequence number: a stable key for --follow. */
  kind: "call" | "event" | "schedule";
  seq: number;
  at: string;
  name: string;
  ok: boolean;
  text: string;
}

/** Every record of the three logs, oldest first. */
async function fetchLogs(api: ApiOptions, target: string, limit: number): Promise<LogRecord[]> {
  const base = objectPath(target);
  const [calls, events, schedules] = await Promise.all([
    request<ObjectRecordsResponse<"calls">>(api, "GET", `${base}/__calls?limit=${limit}`),
    request<ObjectRecordsResponse<"events">>(api, "GET", `${base}/__events?limit=${limit}`),
    request<ObjectRecordsResponse<"schedules">>(api, "GET", `${base}/__schedules?limit=${limit}`),
  ]);
  const records: LogRecord[] = [
    ...calls.calls.map((c): LogRecord => ({ kind: "call", seq: c.seq, at: c.at, name: c.method, ok: c.status === "ok", text: `${c.method} @${c.ref} ${c.status} ${c.ms.toFixed(1)} ms${c.detail ? `: ${c.detail}` : ""}` })),
    ...events.events.map((e): LogRecord => ({ kind: "event", seq: e.seq, at: e.at, name: e.name, ok: !/failed|cut/.test(e.status), text: `${e.name}${e.handler ? ` → ${e.handler}` : ""} ${e.status}${e.detail ? `: ${e.detail}` : ""}` })),
    ...schedules.runs.map((r): LogRecord => ({ kind: "schedule", seq: r.seq, at: r.at, name: r.pattern, ok: r.ok === 1, text: `${r.pattern} ${r.ok ? "ok" : "failed"} ${r.duration_ms} ms${r.detail ? `: ${r.detail}` : ""}` })),
  ];
  return records.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq));
}

const lineOf = (record: LogRecord) => `${record.at}  ${record.kind.padEnd(8)}  ${record.ok ? "  " : "✗ "}${record.text}`;

export const logs: Command = {
  usage: "logs <id[@ref]> [--follow] [--limit <n>] [--errors]",
  summary: "recent calls, events and schedule runs (and their errors); --follow keeps printing new ones",
  options: { follow: { type: "boolean", short: "f" }, limit: { type: "string" }, errors: { type: "boolean" } },
  required: 1,
  async run({ positionals, values, out }) {
    const api = { url: serverUrl(values.url as string | undefined), token: requireToken() };
    const limit = Math.min(1000, Number(values.limit ?? 100) || 100);
    const wanted = (record: LogRecord) => !values.errors || !record.ok;
    const seen = new Set<string>();
    const show = (records: LogRecord[]) => {
      for (const record of records) {
        const key = `${record.kind}:${record.seq}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (wanted(record)) out.record(lineOf(record), record);
      }
    };
    const first = await fetchLogs(api, positionals[0]!, limit);
    if (!values.follow) {
      const shown = first.filter(wanted);
      out.result(shown.length ? shown.map(lineOf) : "no calls, events or schedule runs yet", shown);
      return;
    }
    show(first);
    out.progress("following: new records appear as they happen (Ctrl-C stops)");
    let stop = false;
    process.once("SIGINT", () => (stop = true));
    process.once("SIGTERM", () => (stop = true));
    while (!stop) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (!stop) show(await fetchLogs(api, positionals[0]!, limit));
    }
  },
};
