// `objects open <id[@ref]> [--dashboard] [--print]`: the object's site (or its dashboard page) in a browser;
// $BROWSER wins, then the platform's opener; --print only prints the URL.
import { spawn } from "node:child_process";
import { objectPath } from "../api.ts";
import type { Command } from "../command.ts";
import { serverUrl } from "../settings.ts";

function opener(): [string, string[]] {
  if (process.env.BROWSER) return [process.env.BROWSER, []];
  if (process.platform === "darwin") return ["open", []];
  if (process.platform === "win32") return ["cmd", ["/c", "start", ""]];
  return ["xdg-open", []];
}

export const open: Command = {
  usage: "open <id[@ref]> [--dashboard] [--print]",
  summary: "open an object's site, or its page on the dashboard, in a browser",
  options: { dashboard: { type: "boolean" }, print: { type: "boolean" } },
  required: 1,
  async run({ positionals, values, out }) {
    const base = serverUrl(values.url as string | undefined);
    const target = positionals[0]!;
    const url = values.dashboard ? `${base}/_/dashboard#${encodeURIComponent(target.split("@")[0]!)}` : `${base}${objectPath(target.includes("@") ? target : `${target}@latest`)}/`;
    if (!values.print) {
      const [command, args] = opener();
      const launched = await new Promise<boolean>((resolve) => {
        const child = spawn(command, [...args, url], { stdio: "ignore", detached: true });
        child.once("error", () => resolve(false));
        child.once("spawn", () => {
          child.unref();
          resolve(true);
        });
      });
      if (!launched) out.progress(`no browser to open (${command}): the URL is below`);
    }
    out.result(url, { url });
  },
};
