// Which repository owns an object id (pure): the last one that published it from git, until it lets the id go.
import type { RefState } from "../../schemas/index.ts";
import type { Publisher } from "./publish-commit.ts";

export interface Owner {
  source: "git" | "github";
  repo: string;
}

/** The push option with which a push takes an id over from the repository that owns it. */
export const TAKE_OVER_OPTION = "take-over=";

/**
 * The repository of the newest publication from git or GitHub. An object its repository removed from the default
 * branch (its `latest` is a tombstone), or that was deleted, has no owner: another repository may claim it.
 */
export function ownerOf(state: RefState): Owner | null {
  if (!state.refs.latest && state.gone.latest) return null;
  for (let index = state.publications.length - 1; index >= 0; index--) {
    const { source, repo } = state.publications[index]!.provenance;
    if ((source === "git" || source === "github") && repo) return { source, repo };
  }
  return null;
}

/** Why `publisher` pushing from `repo` may not publish `id`, or null: another repository owns it and was not told. */
export function takeOverProblem(state: RefState, id: string, repo: string, publisher: Publisher, takeOver: ReadonlySet<string>): string | null {
  const owner = ownerOf(state);
  if (!owner || (owner.source === publisher.source && owner.repo === repo) || takeOver.has(id)) return null;
  const where = `${owner.source === "github" ? "the GitHub repository" : "the repository"} ${owner.repo}`;
  const how = publisher.source === "git" ? `push with -o ${TAKE_OVER_OPTION}${id} to take it over` : `remove it from ${owner.repo} (or DELETE /${id}) first`;
  return `${id}: published from ${where}, not from ${repo}; nothing was published (${how})`;
}
