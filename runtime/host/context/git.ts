// `$.gitx`: versioning of the object's fsx files with isomorphic-git, its repository kept in the object's storage,
// so history survives the object being evicted and restarted.
import git from "isomorphic-git";
import { createGitFs } from "./git-fs.ts";
import type { GitRows, ObjectFiles } from "./object-files.ts";

/** A refused or failed $.gitx operation: surfaces as the method's own error. */
export class GitxError extends Error {
  override name = "GitxError";
}

export interface GitxCommit {
  sha: string;
  message: string;
  author: string;
  time: string;
}

/** The $.gitx of one object: `commit(message)` → sha, `history()` → commits, `checkout(ref)`. */
export function createGitx(rows: GitRows, files: ObjectFiles, author: { name: string; email: string }) {
  const fs = createGitFs(rows, files);
  const context = () => ({ fs, dir: "/", gitdir: "/.git", cache: {} });
  const ensureRepository = async () => {
    const head = (await rows.read(".git/HEAD")) !== null;
    if (!head) await git.init({ ...context(), defaultBranch: "main" });
  };
  const headSha = async () => {
    try {
      return await git.resolveRef({ ...context(), ref: "HEAD" });
    } catch {
      return null;
    }
  };

  const operations = {
    /** Stages every change of the files (new, changed, deleted) and commits it; with nothing changed, HEAD's sha. */
    async commit(message: unknown): Promise<string> {
      await ensureRepository();
      const ctx = context();
      let changed = 0;
      for (const [filepath, head, workdir, stage] of await git.statusMatrix(ctx)) {
        if (head === workdir && workdir === stage) continue;
        changed++;
        if (workdir === 0) await git.remove({ ...ctx, filepath });
        else await git.add({ ...ctx, filepath });
      }
      const head = await headSha();
      if (changed === 0 && head) return head;
      const now = Math.floor(Date.now() / 1000);
      return git.commit({ ...ctx, message: String(message ?? "") || "(no message)", author: { ...author, timestamp: now, timezoneOffset: 0 } });
    },

    /** The commits reachable from HEAD, newest first (at most 200). */
    async history(): Promise<GitxCommit[]> {
      if (!(await headSha())) return [];
      const log = await git.log({ ...context(), depth: 200 });
      return log.map(({ oid, commit }) => ({
        sha: oid,
        message: commit.message.trim(),
        author: `${commit.author.name} <${commit.author.email}>`,
        time: new Date(commit.author.timestamp * 1000).toISOString(),
      }));
    },

    /** Puts the files back as they were at `ref` (a sha, a prefix of one, or a branch). Untracked files stay. */
    async checkout(ref: unknown): Promise<string> {
      if (!(await headSha())) throw new GitxError("nothing is committed yet");
      const wanted = String(ref ?? "");
      const ctx = context();
      let oid = wanted;
      if (/^[0-9a-f]{4,39}$/.test(wanted)) oid = await git.expandOid({ ...ctx, oid: wanted }).catch(() => wanted);
      try {
        await git.checkout({ ...ctx, ref: oid, force: true });
      } catch (error) {
        throw new GitxError(`cannot check out ${wanted.slice(0, 80)}: ${(error as { code?: string }).code ?? "failed"}`);
      }
      return (await headSha()) ?? oid;
    },
  };

  return {
    async run(operation: string, args: unknown[]): Promise<unknown> {
      if (operation === "commit") return operations.commit(args[0]);
      if (operation === "history") return operations.history();
      if (operation === "checkout") return operations.checkout(args[0]);
      throw new GitxError(`$.gitx has no ${operation}`);
    },
  };
}
