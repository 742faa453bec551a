// What `GET /<id>/__diff?from=<ref>&to=<ref>` answers: the contract diff of two versions, with the headline (pure).
import semver from "semver";
import { diffContracts, diffHeadline, diffLines } from "../../definitions/index.ts";
import type { DiffView, NormalizedDefinition } from "../../schemas/index.ts";
import type { ResolvedVersion } from "../executor/version-cache.ts";


const sideOf = (resolved: ResolvedVersion) => {
  const version = semver.rsort([...resolved.versions])[0];
  return { hash: resolved.snapshot.hash, definition: resolved.snapshot.definition as NormalizedDefinition, ...(version ? { version } : {}) };
};

/** The diff from one resolved version to another, each side named by its highest version when it has one. */
export function diffView(id: string, from: ResolvedVersion, to: ResolvedVersion): DiffView {
  const diff = diffContracts(sideOf(from), sideOf(to));
  return { id, ...diff, headline: diffHeadline(diff), lines: diffLines(diff) };
}
