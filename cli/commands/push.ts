// `objects push [refspec…]`: git push to the objects.do remote, adding it on first use; the token travels as a
// header for this push only (never written into .git/config).
import { spawn, execFileSync } from "node:child_process";
import { basename } from "node:path";
import { CliError, EXIT } from "../errors.ts";
import type { Command } from "../command.ts";
import { requireToken, serverUrl } from "../settings.ts";

const REMOTE = "objects";

function git(args: string[], cwd: string): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

function repositoryRoot(cwd: string): string {
  try {
    return git(["rev-parse", "--show-toplevel"], cwd);
  } catch {
    throw new CliError(`${cwd} is not inside a git repository: run objects init, or git init`, EXIT.usage);
  }
}

/** The remote's URL, adding `objects` → `<url>/_/git/<name>.git` when the repository has none yet. */
function ensureRemote(root: string, url: string, name: string | undefined): { remote: string; added: boolean } {
  try {
    return { remote: git(["remote", "get-url", REMOTE], root), added: false };
  } catch {
    const repo = (name ?? basename(root)).toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "") || "objects";
    const remote = `${url}/_/git/${repo}.git`;
    git(["remote", "add", REMOTE, remote], root);
    return { remote, added: true };
  }
}

/** The lines objects.do printed (`remote: …`), and each object line as data. */
export function parseRemote(stderr: string) {
  const lines = stderr.split(/\r?\n/).filter((line) => line.startsWith("remote: ")).map((line) => line.slice(8).trimEnd());
  const objects = lines.flatMap((line) => {
    const match = /^(\S+)\s+(published|unchanged|removed)\s+(.*)$/.exec(line.trim());
    return match ? [{ id: match[1]!, status: match[2]!, urls: match[3]!.split(/\s+/).filter(Boolean) }] : [];
  });
  return { lines, objects };
}

export const push: Command = {
  usage: "push [refspec…] [--repo <name>]",
  summary: "git push the current branch (or the refspecs given) to objects.do, configuring the remote on first use",
  options: { repo: { type: "string" } },
  async run({ positionals, values, out }) {
    const root = repositoryRoot(process.cwd());
    const token = requireToken();
    const { remote, added } = ensureRemote(root, serverUrl(values.url as string | undefined), values.repo as string | undefined);
    if (added) out.progress(`added the git remote ${REMOTE} → ${remote}`);
    const refspecs = positionals.length > 0 ? positionals : ["HEAD"];
    out.progress(`pushing ${refspecs.join(" ")} to ${remote}`);
    const args = ["-c", `http.extraHeader=Authorization: Bearer ${token}`, "push", "--porcelain", ...(out.json ? [] : ["--progress"]), REMOTE, ...refspecs];
    const child = spawn("git", args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
      if (!out.json) process.stderr.write(chunk);
    });
    const code = await new Promise<number>((resolve) => child.on("close", (status) => resolve(status ?? 1)));
    const { lines, objects } = parseRemote(stderr);
    const refs = stdout.split("\n").filter((line) => /^[ +\-*=!]\t/.test(line)).map((line) => {
      const [flag, spec, summary] = line.split("\t");
      return { flag: flag!, ref: spec!, summary: summary ?? "" };
    });
    const data = { ok: code === 0, remote, refs, objects, remoteLines: lines };
    if (code !== 0) throw new CliError(`the push was refused${refs.find((ref) => ref.flag === "!")?.summary ? `: ${refs.find((ref) => ref.flag === "!")!.summary}` : ""} (the remote: lines above say why)`, EXIT.problems, data);
    out.result(refs.map((ref) => `${ref.ref}  ${ref.summary}`), data);
  },
};
