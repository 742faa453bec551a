// `objects diff <id> <from> [to]`: the contract diff between two published refs (GET /<id>@<to>/__diff?from=<from>).
import type { DiffResponse } from "../../schemas/index.ts";
import { objectPath, request } from "../api.ts";
import type { Command } from "../command.ts";
import { serverUrl } from "../settings.ts";

export const diff: Command = {
  usage: "diff <id> <from> [to]",
  summary: "what changed in an object's contract between two refs (to: latest by default)",
  required: 2,
  async run({ positionals, values, out }) {
    const [id, from, to = "latest"] = positionals as [string, string, string?];
    const view = await request<DiffResponse>({ url: serverUrl(values.url as string | undefined) }, "GET", `${objectPath(`${id}@${to}`)}/__diff?from=${encodeURIComponent(from)}`);
    out.result([`${id} ${from} → ${to}: ${view.headline}`, ...view.lines.map((line) => `  ${line}`)], view);
  },
};
