// `objects previews [ls|rm|reset|share] …`: every preview the token covers (pull requests' and pushed topics') with
// its age, last push and size of state; removing one, starting its state over, sharing a protected one.
import { sizeText, spanText } from "../../schemas/text.ts";
import { pullRequestOf } from "../../schemas/index.ts";
import type { PreviewEntry } from "../../schemas/index.ts";
import { request } from "../api.ts";
import type { Command, CommandContext } from "../command.ts";
import { CliError, EXIT } from "../errors.ts";
import { table } from "../output.ts";
import { requireToken, serverUrl } from "../settings.ts";

const api = (values: CommandContext["values"]) => ({ url: serverUrl(values.url as string | undefined), token: requireToken() });
const previewPath = (address: string) => `/_/previews/${encodeURIComponent(address).replaceAll("%40", "@")}`;

const size = (bytes: number | undefined) => (bytes === undefined ? "?" : sizeText(bytes));

async function list({ values, out }: CommandContext): Promise<void> {
  const { previews } = await request<{ previews: PreviewEntry[] }>(api(values), "GET", "/_/previews");
  const now = Date.now();
  const rows = previews.map((p) => [`${p.id}@${p.ref}`, p.source === "git" ? (p.gitRef ?? p.repo) : `${p.repo}#${pullRequestOf(p.ref) ?? p.ref}`, spanText(now - p.createdAt), `${spanText(now - p.pushedAt)} ago`, p.expiresAt > now ? `in ${spanText(p.expiresAt - now)}` : "due", p.state, size(p.stateBytes)]);
  out.result(previews.length === 0 ? ["no previews"] : table([["preview", "from", "age", "last push", "expires", "state", "size"], ...rows]), { previews });
}

export const previews: Command = {
  usage: "previews [rm|reset|share <id>@<ref>] [--ttl 1h]",
  summary: "list previews (age, last push, expiry, size of state); remove one, reset its state to production's, or share it",
  options: { ttl: { type: "string" } },
  async run(context) {
    const [verb, address] = context.positionals;
    if (verb === undefined || verb === "ls") return list(context);
    if (!["rm", "reset", "share"].includes(verb)) throw new CliError(`unknown previews command "${verb}": use rm, reset or share`, EXIT.usage);
    if (!address) throw new CliError(`missing the preview: usage: objects previews ${verb} <id>@<ref>`, EXIT.usage);
    const { values, out } = context;
    if (verb === "rm") {
      await request(api(values), "DELETE", previewPath(address));
      return out.result(`${address}: deleted with its state`, { deleted: address });
    }
    if (verb === "reset") {
      const reset = await request<{ state: string; note?: string }>(api(values), "POST", `${previewPath(address)}/reset`);
      return out.result(`${address}: ${reset.note ?? "state emptied"}`, reset);
    }
    const shared = await request<{ url: string; expiresAt: string }>(api(values), "POST", `${previewPath(address)}/share`, values.ttl ? { ttl: values.ttl } : {});
    out.result([shared.url, `expires ${shared.expiresAt}`], shared);
  },
};
