// A repository on another git host (GitHub, GitHub Enterprise, any smart HTTP server), read with isomorphic-git.
import git, { type HttpClient } from "isomorphic-git";
import { DeadlineError, fetchWithDeadline, ObjectsError } from "../../core/index.ts";
import { type RepoEntry } from "../../definitions/index.ts";
import { createObjectFs } from "./object-fs.ts";
import { readCommitInfo, readTreeEntries, type CommitInfo } from "./read-commit.ts";

/** The remote a connected repository is published from. Failures throw ObjectsError; network ones are retryable. */
export interface GitSource {
  /** Every ref the remote advertises (`refs/heads/*`, `refs/tags/*`, `refs/pull/*`) → object id. */
  listRefs(): Promise<Map<string, string>>;
  /** One ref's commit (shallow fetch: the work is the head tree, never the history) and its entries. */
  readCommit(ref: string): Promise<{ commit: CommitInfo; entries: RepoEntry[] }>;
}

const EMPTY_STORE = { names: async () => [], read: async (): Promise<Uint8Array> => { throw new Error("empty"); }, write: async () => {} };

async function* once(bytes: Uint8Array): AsyncIterableIterator<Uint8Array> {
  yield bytes;
}

/** isomorphic-git's HTTP client over `fetch` with a deadline per request (info/refs, upload-pack), answers buffered. */
export function deadlineHttp(send: typeof fetch = fetchWithDeadline("git")): HttpClient {
  return {
    async request({ url, method = "GET", headers = {}, body }) {
      const chunks: Uint8Array[] = [];
      if (body) for await (const chunk of body) chunks.push(chunk);
      const payload = chunks.length === 0 ? undefined : new Blob(chunks);
      const response = await send(url, { method, headers, ...(payload ? { body: payload } : {}) });
      return {
        url: response.url || url,
        method,
        statusCode: response.status,
        statusMessage: response.statusText,
        headers: Object.fromEntries(response.headers),
        body: once(new Uint8Array(await response.arrayBuffer())),
      };
    },
  };
}

function remoteError(error: unknown, url: string): ObjectsError {
  if (error instanceof ObjectsError) return error;
  if (error instanceof DeadlineError) return new ObjectsError("git-remote-timeout", `${url} did not answer within ${error.ms} ms`, { retryable: true });
  const { code, data } = error as { code?: string; data?: { statusCode?: number } };
  const status = data?.statusCode;
  if (code === "HttpError" && status !== undefined && status < 500 && status !== 429) {
    return new ObjectsError("git-remote-refused", `${url} answered ${status}`);
  }
  if (code === "NotFoundError") return new ObjectsError("git-ref-not-found", `${url} has no such ref`);
  return new ObjectsError("git-remote-unavailable", `${url} did not answer${status ? ` (${status})` : ""}`, { retryable: true });
}

/**
 * Fetches one ref shallowly and answers the object it names. isomorphic-git resolves the remote's HEAD before it
 * stores the pack, and fails when HEAD names a branch that does not exist (git then advertises no HEAD at all): that
 * is said plainly, since nothing on objects.do's side can mend it.
 */
async function fetchOne(context: { fs: ReturnType<typeof createObjectFs>["fs"]; gitdir: string; cache: object }, options: { http: HttpClient; url: string; ref: string; onAuth: () => Promise<{ username: string; password: string }> }): Promise<string | null> {
  try {
    const fetched = await git.fetch({ ...context, ...options, remoteRef: options.ref, singleBranch: true, depth: 1, tags: false });
    return fetched.fetchHead;
  } catch (error) {
    const { code, data } = error as { code?: string; data?: { what?: string } };
    if (code === "NotFoundError" && data?.what === "HEAD") {
      throw new ObjectsError("git-remote-head-missing", `${options.url}: its HEAD names a branch that does not exist, so no ref can be fetched; set the repository's default branch on the git host`);
    }
    throw error;
  }
}

/** A GitSource over smart HTTP, authenticated with `token` (as GitHub expects: user `x-access-token`). */
export function httpGitSource(url: string, token: () => Promise<string>, http: HttpClient = deadlineHttp()): GitSource {
  const onAuth = async () => ({ username: "x-access-token", password: await token() });
  return {
    async listRefs() {
      try {
        const refs = await git.listServerRefs({ http, url, onAuth, protocolVersion: 1 });
        return new Map(refs.filter((ref) => ref.ref.startsWith("refs/")).map((ref) => [ref.ref, ref.oid]));
      } catch (error) {
        throw remoteError(error, url);
      }
    },
    async readCommit(ref) {
      const objects = createObjectFs(EMPTY_STORE, []);
      // isomorphic-git maps fetched refs through the remote's refspec: take every ref the remote names.
      objects.put("config", new TextEncoder().encode(`[remote "origin"]\n\turl = ${url}\n\tfetch = +refs/*:refs/remotes/origin/*\n`));
      const context = { fs: objects.fs, gitdir: "/", cache: {} };
      try {
        const head = await fetchOne(context, { http, url, ref, onAuth });
        if (!head) throw new ObjectsError("git-ref-not-found", `${url} has no ${ref}`);
        const commit = await readCommitInfo(context, head);
        return { commit, entries: await readTreeEntries(context, commit.tree) };
      } catch (error) {
        throw remoteError(error, url);
      }
    },
  };
}
