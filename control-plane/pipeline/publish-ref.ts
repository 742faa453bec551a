// The one step that publishes a git ref, for the git remote and GitHub alike: check the name, then retire (a deleted
// ref) or prepare and apply its commit, and keep the ref's object list. Nothing moves unless every check passed.
import type { Issue } from "../../schemas/index.ts";
import { applyCommit, mayChange, prepareCommit, retireTarget, type CommitInput, type CommitMeta, type PipelineDeps, type Publisher } from "./publish-commit.ts";
import { contractLines, outcomeLines, stateLines, type ObjectOutcome } from "./summarize.ts";
import { objectsKey, targetOf, type GitTarget } from "./targets.ts";
import type { RepoEntry } from "../../definitions/index.ts";

/** The objects each moving ref of a repository published, with the last commit that had each. */
export interface RefObjects {
  get(key: string): Promise<Map<string, string>>;
  set(key: string, objects: ReadonlyMap<string, string>): Promise<void>;
}

export interface RefChange {
  repo: string;
  /** Origin of the URLs printed back (`http://localhost:8787`). */
  origin: string;
  /** The full ref name (`refs/heads/main`), or a pull request's preview. */
  ref: string | { preview: number };
  defaultBranch: string;
  /** What the ref names now; null: the ref was deleted (a closed pull request, for previews). */
  commit: { meta: CommitMeta; entries: readonly RepoEntry[] } | null;
  publisher: Publisher;
  /** Ids the change may take over from the repository that publishes them. */
  takeOver?: ReadonlySet<string>;
}

export type RefOutcome =
  | { ok: true; target: GitTarget; lines: string[]; outcomes: ObjectOutcome[]; warnings?: Issue[] }
  /** Refused before anything moved: the lines say why, `issues` locate the problems when there are any. */
  | { ok: false; target?: GitTarget; lines: string[]; issues?: Issue[] };

export interface PublishRefDeps {
  pipeline: PipelineDeps;
  objects: RefObjects;
  /** Runs after every check passed and before the first write (the git remote stores the pushed pack there). */
  beforeWrite?(): Promise<void>;
}

async function retire(deps: PublishRefDeps, change: RefChange, target: GitTarget): Promise<RefOutcome> {
  if (target.kind === "tag") return { ok: true, target, lines: ["deleted; the versions it published stay, and stay immutable"], outcomes: [] };
  if (target.kind === "branch" && target.isDefault) return { ok: false, target, lines: ["the default branch cannot be deleted"] };
  const key = objectsKey(target);
  const ids = [...(await deps.objects.get(key)).keys()];
  const denied = ids.filter((id) => !mayChange(change.publisher, id));
  if (denied.length > 0) return { ok: false, target, lines: denied.map((id) => `${id}: the token's scope does not cover this object; nothing was retired`) };
  await deps.beforeWrite?.();
  await retireTarget(deps.pipeline, target, ids);
  await deps.objects.set(key, new Map());
  return { ok: true, target, lines: [`deleted with its environment (${ids.length} object(s))`], outcomes: ids.map((id) => ({ id, status: "removed", urls: [] })) };
}

/** Publishes what one ref names now (or retires it), or refuses with every reason and changes nothing. */
export async function publishRef(deps: PublishRefDeps, change: RefChange): Promise<RefOutcome> {
  const resolved = typeof change.ref === "string" ? targetOf(change.ref, change.defaultBranch) : ({ ok: true, target: { kind: "preview", number: change.ref.preview } } as const);
  if (!resolved.ok) return { ok: false, lines: [resolved.reason] };
  const { target } = resolved;
  if (!change.commit) return retire(deps, change, target);
  const previous = target.kind === "tag" ? new Map<string, string>() : await deps.objects.get(objectsKey(target));
  const input: CommitInput = { repo: change.repo, origin: change.origin, commit: change.commit.meta, entries: change.commit.entries, target, previous, publisher: change.publisher, ...(change.takeOver ? { takeOver: change.takeOver } : {}) };
  const prepared = await prepareCommit(deps.pipeline, input);
  if (!prepared.ok) return { ok: false, target, lines: prepared.lines, ...(prepared.issues ? { issues: prepared.issues } : {}) };
  await deps.beforeWrite?.();
  const outcomes = await applyCommit(deps.pipeline, input, prepared);
  if (target.kind !== "tag") await deps.objects.set(objectsKey(target), new Map(prepared.planned.map((plan) => [plan.id, change.commit!.meta.oid])));
  const notVersion = target.kind === "tag" && !target.version ? ["not a version tag (v1.2.3 or <id>@1.2.3): nothing was published"] : [];
  return { ok: true, target, lines: [...notVersion, ...prepared.warnings, ...outcomeLines(outcomes), ...stateLines(outcomes), ...contractLines(outcomes)], outcomes, warnings: prepared.warningIssues };
}
