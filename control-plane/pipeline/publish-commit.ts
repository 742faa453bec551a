// The publish pipeline of one commit at one git ref, shared by `git push` and GitHub webhooks: prepare (compile,
// authorize, check versions, trial-load new code: no side effects) then apply (mirror, publish, retire).
import { compileFiles, definitionPaths, loadRegexChecker, diffContracts, type CompiledObject, type ContractDiff, type RepoEntry } from "../../definitions/index.ts";
import { canonicalJson, contentHash, contextIssue, hashEnvironment, PRODUCTION, type BlobStore, type PublishOutcome, type Registry } from "../../registry/index.ts";
import type { Issue, NormalizedDefinition, RefState } from "../../schemas/index.ts";
import { scopeCovers } from "../http/scope.ts";
import { baselineOf } from "./baseline.ts";
import { takeOverProblem } from "./ownership.ts";
import { issueLines, type ObjectOutcome } from "./summarize.ts";
import { environmentOfTarget, isPreview, movingRef, publicationOf, refLabel, type GitTarget, type MovingTarget } from "./targets.ts";
import { rolloutLine } from "../rollouts/rollout-text.ts";
import { createsFork, forkProblem, recordPreview, takeFork, type PreviewPort } from "./preview-state.ts";

export interface CommitMeta {
  oid: string;
  author: string;
  message: string;
  time: string;
}

export interface PipelineDeps {
  registry: Registry;
  /** Where each published commit's definition files are mirrored (`commits/<repo>/<sha>.json`). */
  blobs: BlobStore;
  /** Loads new code once in a sandbox and returns every function that fails to start (the runtime's job). */
  trialLoad(definition: NormalizedDefinition, hash: string): Promise<Issue[]>;
  /**
   * The runtime forgets cached resolutions of the object; `deleted` also drops that environment's state. A publish
   * says how `latest` moved, so an object whose schedules cannot have changed is not woken (see worker.ts).
   */
  refsChanged(id: string, change: "moved" | "deleted", environment: string, published?: PublishedMove): Promise<void>;
  /** Previews' state and the platform's list of them (absent: previews start empty and are not listed). */
  previews?: PreviewPort;
}

/** What a publish did to `latest`: the hash it held before, whether the published definition has schedules, and whether it started a rollout. */
export interface PublishedMove {
  from?: string;
  scheduled: boolean;
  /** The new definition's `accepts` (who may bubble events into it). */
  accepts: string[];
  /** Set when the publication started or replaced a rollout (`latest` did not move) or ended one. */
  rollout?: PublishOutcome["rollout"];
}

/** The move a publish result describes, for `refsChanged`. */
export const publishedMove = (definition: NormalizedDefinition, { previous, rollout }: Pick<PublishOutcome, "previous" | "rollout">): PublishedMove => ({
  ...(previous.latest ? { from: previous.latest } : {}),
  scheduled: Object.keys(definition.schedules ?? {}).length > 0,
  accepts: definition.accepts ?? [],
  ...(rollout ? { rollout } : {}),
});

/** Who publishes: their scopes say what they may change, and are recorded with each publication. */
export interface Publisher {
  source: "git" | "github";
  /** The token's subject (git push) or the subject that connected the repository (GitHub). */
  actor: string;
  /** The scope patterns of the token (of the connecting token, for GitHub). */
  scopes: string[];
}

/** Whether the publisher may change (publish or retire) an object id. */
export const mayChange = (publisher: Publisher, id: string) => publisher.scopes.some((pattern) => scopeCovers(pattern, id));

export interface CommitInput {
  repo: string;
  /** Origin of the URLs printed back (`http://localhost:8787`). */
  origin: string;
  commit: CommitMeta;
  entries: readonly RepoEntry[];
  target: GitTarget;
  /** Objects the branch had before this commit, each with the last commit that had it. */
  previous: ReadonlyMap<string, string>;
  publisher: Publisher;
  /** Ids this push may take over from the repository that publishes them (`git push -o take-over=<id>`). */
  takeOver?: ReadonlySet<string>;
}

interface Planned extends CompiledObject {
  hash: string;
  refs: string[];
  version?: string;
  unchanged: boolean;
  /** Against the version it succeeds, or what its ref serves now. */
  diff?: ContractDiff;
  /** A new preview object whose config asks for production's state. */
  fork: boolean;
}

/** A refusal: the lines a pusher reads, and the located issues (for check-run annotations) when there are any. */
export type Prepared = { ok: false; lines: string[]; issues?: Issue[] } | { ok: true; planned: Planned[]; removed: Array<{ id: string; lastCommit: string }>; warnings: string[]; warningIssues: Issue[] };

/** The contract diff of a planned publication against what it replaces (nothing: a new object). */
async function diffAgainstBaseline(deps: PipelineDeps, state: RefState, target: GitTarget, plan: Planned): Promise<ContractDiff> {
  const baseline = baselineOf(state, target, plan.version);
  const from = baseline && { ...baseline, definition: (await deps.registry.snapshot(baseline.hash)).definition as NormalizedDefinition };
  return diffContracts(from, { hash: plan.hash, definition: plan.definition, ...(plan.version ? { version: plan.version } : {}) });
}

/** Everything that can refuse a commit, checked before anything is written. */
export async function prepareCommit(deps: PipelineDeps, input: CommitInput): Promise<Prepared> {
  await loadRegexChecker();
  const { objects, issues, warnings } = compileFiles(input.entries);
  const short = input.commit.oid.slice(0, 7);
  if (issues.length > 0) return { ok: false, lines: [`${issues.length} problem(s) in ${short}; nothing was published:`, ...issueLines(issues)], issues };
  const { target } = input;
  // A commit that drops every object at once is far more often a mistake (a wrong branch, a moved folder) than an
  // intent: nothing is retired for it. Objects leave one commit at a time, or through DELETE /<id>.
  if (target.kind !== "tag" && objects.length === 0 && input.previous.size > 0) {
    return { ok: false, lines: [`${short} has no definitions at all, while @${refLabel(target)} serves ${input.previous.size} object(s); nothing was retired`] };
  }
  if (target.kind === "tag" && target.only && !objects.some((object) => object.id === target.only)) {
    return { ok: false, lines: [`tag ${target.name} names ${target.only}, which ${short} does not define`] };
  }
  const planned: Planned[] = [];
  for (const object of objects) {
    const publication = publicationOf(target, object.id, object.definition);
    if (publication) planned.push({ ...object, ...publication, hash: await contentHash(object.definition), unchanged: false, fork: false });
  }
  const current = new Set(objects.map((object) => object.id));
  const removed = target.kind !== "tag" ? [...input.previous].filter(([id]) => !current.has(id)).map(([id, lastCommit]) => ({ id, lastCommit })) : [];

  const denied = [...planned.map((p) => p.id), ...removed.map((r) => r.id)].filter((id) => !mayChange(input.publisher, id));
  if (denied.length > 0) return { ok: false, lines: denied.map((id) => `${id}: the token's scope does not cover this object; nothing was published`) };

  const problems: string[] = [];
  const located: Issue[] = [];
  for (const plan of planned) {
    // A parent this commit publishes too is covered by the publisher's scope (checked above): no lookup for it.
    const refused = await contextIssue(plan.definition, input.publisher.scopes, deps.registry.latestDefinition);
    if (refused) {
      const issue = { ...refused, file: plan.source };
      located.push(issue);
      problems.push(...issueLines([issue]));
      continue;
    }
    const state = await deps.registry.state(plan.id);
    const taken = takeOverProblem(state, plan.id, input.repo, input.publisher, input.takeOver ?? new Set());
    if (taken) {
      problems.push(taken);
      continue;
    }
    const existing = plan.version ? state.versions[plan.version] : undefined;
    if (existing && existing !== plan.hash) {
      problems.push(`${plan.id}: version ${plan.version} is already published with other content (${existing.slice(0, 12)}); a published version never changes`);
      continue;
    }
    if (isPreview(target) && deps.previews && createsFork(plan.definition, state, target)) {
      const tooLarge = await forkProblem(deps.previews, plan.id, plan.definition);
      if (tooLarge) {
        problems.push(tooLarge);
        continue;
      }
      plan.fork = true;
    }
    plan.unchanged = plan.refs.every((ref) => state.refs[ref] === plan.hash) && (!plan.version || existing === plan.hash);
    if (!plan.unchanged) plan.diff = await diffAgainstBaseline(deps, state, target, plan);
    if (!state.publications.some((publication) => publication.hash === plan.hash)) {
      const loadIssues = (await deps.trialLoad(plan.definition, plan.hash)).map((issue) => ({ ...issue, file: issue.file ?? plan.source }));
      located.push(...loadIssues);
      problems.push(...issueLines(loadIssues));
    }
  }
  if (problems.length > 0) return { ok: false, lines: [`${problems.length} problem(s) in ${short}; nothing was published:`, ...problems], issues: located };
  return { ok: true, planned, removed, warnings: issueLines(warnings), warningIssues: warnings };
}

/**
 * Where a published object answers: production's commit hash first; a branch's or preview's own ref first, and the
 * commit hash only when it leads there (content production already published runs on production's state, and
 * content an earlier environment published stays there: registry/environments.ts).
 */
async function urlsOf(deps: PipelineDeps, { commit, target, origin }: CommitInput, plan: Planned, hash: string, environment: string): Promise<string[]> {
  const base = `${origin}/${plan.id}`;
  const short = commit.oid.slice(0, 7);
  const version = plan.version ? [`${base}@v${plan.version}`] : [];
  if (target.kind === "tag") return [`${base}@${short}`, ...version];
  if (environment === PRODUCTION) return [`${base}@${short}`, `${base}@${refLabel(target)}`, ...version];
  const state = await deps.registry.state(plan.id);
  let leadsHere = false;
  try {
    leadsHere = hashEnvironment(plan.id, state, hash, short) === environment;
  } catch {
    // environment-gone cannot follow a publication here; a URL that would not answer is left out either way.
  }
  return [`${base}@${refLabel(target)}`, ...(leadsHere ? [`${base}@${short}`] : []), ...version];
}

/** Mirrors the commit's definition files, publishes every object and retires the ones the branch lost. */
export async function applyCommit(deps: PipelineDeps, input: CommitInput, prepared: Extract<Prepared, { ok: true }>): Promise<ObjectOutcome[]> {
  const { commit, target, repo, origin } = input;
  const texts = input.entries.flatMap((entry) => (entry.kind === "file" ? [entry] : []));
  const mirrored = new Set(definitionPaths(texts.map((entry) => entry.path)));
  const files = Object.fromEntries(texts.filter((entry) => mirrored.has(entry.path)).map((entry) => [entry.path, entry.content]));
  await deps.blobs.putIfAbsent(`commits/${repo}/${commit.oid}.json`, canonicalJson({ repo, commit, files }));
  const environment = environmentOfTarget(target);
  const outcomes: ObjectOutcome[] = [];
  for (const plan of prepared.planned) {
    const preview = isPreview(target) && deps.previews ? { target, repo, source: input.publisher.source, sha: commit.oid, id: plan.id, definition: plan.definition, environment } : undefined;
    // A preview's row is written while the registry publishes: two Durable Object writes at once, not in a row.
    const [result] = await Promise.all([
      deps.registry.publish({
        definition: plan.definition,
        refs: plan.refs,
        ...(plan.version ? { version: plan.version } : {}),
        provenance: { source: input.publisher.source, actor: input.publisher.actor, scopes: input.publisher.scopes, repo, commit: commit.oid, path: plan.source, author: commit.author, message: commit.message },
      }),
      preview && recordPreview(deps.previews!, preview),
    ]);
    if (result.changed) await deps.refsChanged(plan.id, "moved", environment, publishedMove(plan.definition, result));
    const state = preview && plan.fork ? await takeFork(deps.previews!, { ...preview, hash: result.hash }) : undefined;
    const urls = await urlsOf(deps, input, plan, result.hash, environment);
    const rollout = result.rollout ? rolloutLine(plan.id, result.rollout) : undefined;
    outcomes.push({ id: plan.id, status: plan.unchanged ? "unchanged" : "published", hash: result.hash, urls, ...(plan.diff ? { diff: plan.diff } : {}), ...(state ? { state } : {}), ...(rollout ? { rollout } : {}) });
  }
  if (target.kind !== "tag") {
    for (const { id, lastCommit } of prepared.removed) {
      await deps.registry.removeRef(id, movingRef(target), { lastCommit, removedBy: commit.oid });
      // An object leaving a preview takes its preview state with it; a branch keeps its environment's.
      await deps.refsChanged(id, isPreview(target) ? "deleted" : "moved", environment);
      if (isPreview(target)) await deps.previews?.drop(refLabel(target), [id]);
      // The last commit that had it: production's keeps serving by hash; a branch's content may live elsewhere.
      outcomes.push({ id, status: "removed", urls: environment === PRODUCTION ? [`${origin}/${id}@${lastCommit.slice(0, 7)}`] : [] });
    }
  }
  return outcomes;
}

/** A deleted branch or closed pull request: its refs go, and so does the state of its environment. */
export async function retireTarget(deps: PipelineDeps, target: MovingTarget, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    await deps.registry.removeRef(id, movingRef(target));
    await deps.refsChanged(id, "deleted", environmentOfTarget(target));
  }
  if (isPreview(target)) await deps.previews?.drop(refLabel(target), [...ids]);
}
