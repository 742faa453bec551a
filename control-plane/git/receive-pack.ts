// receive-pack: index the pushed pack, then for each ref update validate the commit, publish it, move the ref.
import git from "isomorphic-git";
import { asObjectsError } from "../../core/index.ts";
import type { PipelineDeps, Publisher } from "../pipeline/publish-commit.ts";
import { TAKE_OVER_OPTION } from "../pipeline/ownership.ts";
import { publishRef, type RefObjects } from "../pipeline/publish-ref.ts";
import { createObjectFs } from "./object-fs.ts";
import type { PackStore, RepoRefs } from "./ports.ts";
import { ZERO_OID, type ReceiveRequest } from "./protocol/requests.ts";
import type { RefResult } from "./protocol/responses.ts";
import { readCommitInfo, readTreeEntries } from "./read-commit.ts";

async function readCommit(context: Parameters<typeof readCommitInfo>[0], oid: string) {
  const meta = await readCommitInfo(context, oid);
  return { meta, entries: await readTreeEntries(context, meta.tree) };
}

/** The objects each branch of the repository published, with the last commit that had each. */
export type BranchObjects = RefObjects;

export interface ReceiveDeps {
  packs: PackStore;
  refs: RepoRefs;
  branches: BranchObjects;
  pipeline: PipelineDeps;
}

export interface Pusher {
  repo: string;
  origin: string;
  publisher: Publisher;
}

export interface ReceiveResult {
  unpack: string;
  results: RefResult[];
  messages: string[];
}

const INCOMING = "objects/pack/incoming";
const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");

/**
 * Handles one push. Every ref is validated before it moves; a refused ref leaves what was live untouched. The
 * caller serializes pushes to one repository, so the compare-and-set of each ref only fails against a client
 * whose view is stale.
 */
export async function receivePack(deps: ReceiveDeps, pusher: Pusher, request: ReceiveRequest): Promise<ReceiveResult> {
  const objects = createObjectFs(deps.packs, await deps.packs.names());
  const context = { fs: objects.fs, gitdir: "/", cache: {} };
  const messages: string[] = [];
  let incoming: { name: string; pack: Uint8Array; index: Uint8Array; stored: boolean } | undefined;
  if (request.pack) {
    try {
      objects.put(`${INCOMING}.pack`, request.pack);
      await git.indexPack({ ...context, dir: "/", filepath: `${INCOMING}.pack` });
      const index = objects.file(`${INCOMING}.idx`)!;
      incoming = { name: `pack-${hex(request.pack.subarray(request.pack.byteLength - 20))}`, pack: request.pack, index, stored: false };
    } catch (error) {
      const reason = `error ${String((error as Error).message).slice(0, 200)}`;
      return { unpack: reason, results: request.commands.map(({ ref }) => ({ ref, error: "unpacker error" })), messages: [] };
    }
  }

  const defaultBranch = (await deps.refs.head()).replace(/^refs\/heads\//, "");
  const takeOver = new Set(request.options.filter((option) => option.startsWith(TAKE_OVER_OPTION)).map((option) => option.slice(TAKE_OVER_OPTION.length)));
  const current = new Map(await deps.refs.list());
  const results: RefResult[] = [];
  for (const command of request.commands) {
    const refuse = (error: string, lines: string[] = []) => {
      messages.push(...lines.map((line) => `${command.ref}: ${line}`));
      results.push({ ref: command.ref, error });
    };
    if ((current.get(command.ref) ?? ZERO_OID) !== command.old) {
      refuse("fetch first: the ref moved since you fetched (non-fast-forward)");
      continue;
    }
    try {
      const commit = command.new === ZERO_OID ? null : await readCommit(context, command.new);
      const storePack = async () => {
        if (incoming && !incoming.stored) {
          await deps.packs.write(incoming.name, incoming.pack, incoming.index);
          incoming.stored = true;
        }
      };
      // Objects first, then the registry, the repository's ref last: a crash in between leaves a retryable push.
      const outcome = await publishRef(
        { pipeline: deps.pipeline, objects: deps.branches, beforeWrite: storePack },
        { repo: pusher.repo, origin: pusher.origin, ref: command.ref, defaultBranch, commit, publisher: pusher.publisher, takeOver },
      );
      if (!outcome.ok) {
        refuse(outcome.issues?.length || outcome.lines.length > 1 ? "invalid definitions (see the lines above)" : (outcome.lines[0] ?? "refused"), outcome.lines);
        continue;
      }
      // Pushes to one repository run one at a time and the ref was checked above: this swap does not lose.
      if (!(await deps.refs.compareAndSet(command.ref, command.old, command.new === ZERO_OID ? null : command.new))) {
        refuse("fetch first: the ref moved while this push was published");
        continue;
      }
      if (command.new === ZERO_OID) current.delete(command.ref);
      else current.set(command.ref, command.new);
      messages.push(...outcome.lines.map((line) => (commit ? line : `${command.ref}: ${line}`)));
      results.push({ ref: command.ref });
    } catch (error) {
      const problem = asObjectsError(error);
      refuse(problem.code, [problem.kind === "internal" ? "the push could not be published; nothing changed for this ref" : problem.message]);
      if (problem.kind === "internal") console.error("receive-pack failed", error);
    }
  }
  return { unpack: "ok", results, messages };
}
