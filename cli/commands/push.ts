// `objects push [refspec…]`: git push to the objects.do remote, adding it on first use; the token travels as a
// header for this push only (never written into .git/config).
import { spawn, execFileSync } from "node:child_process";
import { basename } from "node:path";
import { CliError, EXIT } from "../errors.ts";
import type { Command } from "../command.ts";
import { requireToken, serverUrl } from "../settings.ts";
import { request } from "../api.ts";

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

/** A repository with no commit has nothing to push: say so before git prints `src refspec HEAD does not match any`. */
function requireCommit(root: string): void {
  try {
    git(["rev-parse", "--verify", "--quiet", "HEAD"], root);
  } catch {
    throw new CliError("this repository has no commits yet: commit first (git add -A && git commit -m \"first objects\"), then objects push", EXIT.usage);
  }
}

/** The token is checked before git runs: a refused one means `objects login`, not git's `could not read Username`. */
async function requireAcceptedToken(url: string, token: string): Promise<void> {
  try {
    await request({ url, token }, "GET", "/_/whoami");
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.auth) {
      throw new CliError(`${url} does not accept the stored token (expired, or signed for another server): run objects login`, EXIT.auth);
    }
    throw error;
  }
}

/** Why git failed when objects.do said nothing: git's own `fatal:`/`error:` lines. */
const gitFailure = (stderr: string) =>
  stderr.split(/\r?\n/).filter((line) => /^(fatal|error): /.test(line)).map((line) => line.replace(/^(fatal|error): /, "")).join("; ") || "git push failed";

export const push: Command = {
  usage: "push [refspec…] [--repo <name>] [--take-over <id>]…",
  summary: "git push the current branch (or the refspecs given) to objects.do, configuring the remote on first use",
  // `--take-over <id>`: publish an id another repository owns (sent as the push option take-over=<id>).
  options: { repo: { type: "string" }, "take-over": { type: "string", multiple: true } },
  async run({ positionals, values, out }) {
    const root = repositoryRoot(process.cwd());
    requireCommit(root);
    const token = requireToken();
    const url = serverUrl(values.url as string | undefined);
    await requireAcceptedToken(url, token);
    const { remote, added } = ensureRemote(root, url, values.repo as string | undefined);
    if (added) out.progress(`added the git remote ${REMOTE} → ${remote}`);
    const refspecs = positionals.length > 0 ? positionals : ["HEAD"];
    out.progress(`pushing ${refspecs.join(" ")} to ${remote}`);
    const takeOver = ((values["take-over"] as unknown as string[] | undefined) ?? []).flatMap((id) => ["-o", `take-over=${id}`]);
    const args = ["-c", `http.extraHeader=Authorization: Bearer ${token}`, "push", "--porcelain", ...(out.json ? [] : ["--progress"]), ...takeOver, REMOTE, ...refspecs];
    // Never a credential prompt: the token is the only credential, and a prompt would hang a script.
    const child = spawn("git", args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } });
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
    if (code !== 0) {
      // objects.do heads its problems with "N problem(s) in <commit>"; a ref git rejected says why in a few words.
      const counted = lines.map((line) => /(\d+) problem\(s\)/.exec(line)?.[1]).find(Boolean);
      const rejected = refs.find((ref) => ref.flag === "!")?.summary.replace(/^\[remote rejected\] \((.*)\)$/, "$1");
      const why = counted ? `${counted} problem(s), in the remote: lines above` : lines.length ? `${rejected ?? "objects.do's reasons"}, in the remote: lines above` : gitFailure(stderr);
      throw new CliError(`the push was refused: ${why}`, EXIT.problems, data);
    }
    out.result(refs.map((ref) => `${ref.ref}  ${ref.summary}`), data);
  },
};
