// receive-pack: index the pushed pack, then for each ref update validate the commit, publish it, move the ref.
import git from "isomorphic-git";
import { asObjectsError } from "../../registry/index.ts";
import { applyCommit, prepareCommit, retireTarget, type PipelineDeps } from "../pipeline/publish-commit.ts";
import { contractLines, outcomeLines } from "../pipeline/summarize.ts";
import { targetOf } from "../pipeline/targets.ts";
import { createObjectFs } from "./object-fs.ts";
import type { PackStore, RepoRefs } from "./ports.ts";
import { ZERO_OID, type ReceiveRequest } from "./protocol/requests.ts";
import type { RefResult } from "./protocol/responses.ts";
import { readCommitInfo, readTreeEntries } from "./read-commit.ts";

/** The objects each branch of the repository published, with the last commit that had each. */
export interface BranchObjects {
  get(branch: string): Promise<Map<string, string>>;
  set(branch: string, objects: ReadonlyMap<string, string>): Promise<void>;
}

export interface ReceiveDeps {
  packs: PackStore;
  refs: RepoRefs;
  branches: BranchObjects;
  pipeline: PipelineDeps;
}

export interface Pusher {
  repo: string;
  origin: string;
  authorize(id: string): boolean;
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

  const head = await deps.refs.head();
  const current = new Map(await deps.refs.list());
  const results: RefResult[] = [];
  for (const command of request.commands) {
    const refuse = (error: string, lines: string[] = []) => {
      messages.push(...lines.map((line) => `${command.ref}: ${line}`));
      results.push({ ref: command.ref, error });
    };
    const target = targetOf(command.ref, head.replace(/^refs\/heads\//, ""));
    if (!target) {
      refuse("only refs/heads/* and refs/tags/* are accepted");
      continue;
    }
    if ((current.get(command.ref) ?? ZERO_OID) !== command.old) {
      refuse("fetch first: the ref moved since you fetched (non-fast-forward)");
      continue;
    }
    try {
      if (command.new === ZERO_OID) {
        if (target.kind === "branch") {
          if (target.isDefault) {
            refuse("the default branch cannot be deleted");
            continue;
          }
          const ids = [...(await deps.branches.get(target.name)).keys()];
          const denied = ids.filter((id) => !pusher.authorize(id));
          if (denied.length > 0) {
            refuse("scope", denied.map((id) => `${id}: the token's scope does not cover this object`));
            continue;
          }
          await retireTarget(deps.pipeline, target, ids);
          await deps.branches.set(target.name, new Map());
          messages.push(`${command.ref}: deleted with its environment (${ids.length} object(s))`);
        } else messages.push(`${command.ref}: deleted; the versions it published stay, and stay immutable`);
        await deps.refs.compareAndSet(command.ref, command.old, null);
        current.delete(command.ref);
        results.push({ ref: command.ref });
        continue;
      }
      const commit = await readCommitInfo(context, command.new);
      const entries = await readTreeEntries(context, commit.tree);
      const previous = target.kind === "branch" ? await deps.branches.get(target.name) : new Map<string, string>();
      const input = { repo: pusher.repo, origin: pusher.origin, commit, entries, target, previous, authorize: pusher.authorize };
      const prepared = await prepareCommit(deps.pipeline, input);
      if (!prepared.ok) {
        refuse("invalid definitions (see the lines above)", prepared.lines);
        continue;
      }
      // Objects first, then the registry, the repository's ref last: a crash in between leaves a retryable push.
      if (incoming && !incoming.stored) {
        await deps.packs.write(incoming.name, incoming.pack, incoming.index);
        incoming.stored = true;
      }
      const outcomes = await applyCommit(deps.pipeline, input, prepared);
      if (target.kind === "branch") await deps.branches.set(target.name, new Map(prepared.planned.map((plan) => [plan.id, commit.oid])));
      if (target.kind === "tag" && !target.version) messages.push(`${command.ref}: not a version tag (v1.2.3 or <id>@1.2.3): nothing was published`);
      if (!(await deps.refs.compareAndSet(command.ref, command.old, command.new))) {
        refuse("fetch first: the ref moved while this push was published");
        continue;
      }
      current.set(command.ref, command.new);
      messages.push(...prepared.warnings, ...outcomeLines(outcomes), ...contractLines(outcomes));
      results.push({ ref: command.ref });
    } catch (error) {
      const problem = asObjectsError(error);
      refuse(problem.code, [problem.kind === "internal" ? "the push could not be published; nothing changed for this ref" : problem.message]);
      if (problem.kind === "internal") console.error("receive-pack failed", error);
    }
  }
  return { unpack: "ok", results, messages };
}
