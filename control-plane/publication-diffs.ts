// Contract diffs between stored versions of one object: a move of `latest`, and each entry of the history.
import { diffContracts, diffHeadline, diffLines, type ContractDiff } from "../definitions/index.ts";
import { versionNaming, type Registry } from "../registry/index.ts";
import type { NormalizedDefinition, Publication, RefState } from "../schemas/index.ts";

/** Only the newest publications of a history get a diff: each costs up to two snapshot reads. */
export const MAX_DIFFED_PUBLICATIONS = 50;

/** Reads each snapshot once per request, however many diffs name it. */
function snapshotReader(registry: Registry) {
  const read = new Map<string, Promise<NormalizedDefinition>>();
  return (hash: string) => {
    let definition = read.get(hash);
    if (!definition) read.set(hash, (definition = registry.snapshot(hash).then((snapshot) => snapshot.definition)));
    return definition;
  };
}

/** The diff from one hash (none: a new object) to another, each side named by its highest version. */
async function diffBetween(state: RefState, read: (hash: string) => Promise<NormalizedDefinition>, from: string | undefined, to: string): Promise<ContractDiff> {
  const side = async (hash: string) => {
    const version = versionNaming(state, hash);
    return { hash, definition: await read(hash), ...(version ? { version } : {}) };
  };
  return diffContracts(from ? await side(from) : null, await side(to));
}

/** The contract diff of moving `latest` from `from` to `to`. */
export async function diffOfMove(registry: Registry, id: string, from: string | undefined, to: string): Promise<ContractDiff> {
  return diffBetween(await registry.state(id), snapshotReader(registry), from, to);
}

/** The publication a later one replaced: the last before it that moved one of the same refs, else the last before it. */
function replaced(publications: readonly Publication[], index: number): Publication | undefined {
  const refs = new Set(publications[index]!.refs);
  const earlier = publications.slice(0, index).reverse();
  return earlier.find((p) => p.refs.some((ref) => refs.has(ref))) ?? earlier[0];
}

/** The history (oldest first, as stored) with each of the newest publications' diff against the one it replaced. */
export async function withDiffs(registry: Registry, state: RefState) {
  const read = snapshotReader(registry);
  const first = Math.max(0, state.publications.length - MAX_DIFFED_PUBLICATIONS);
  return Promise.all(
    state.publications.map(async (publication, index) => {
      if (index < first) return publication;
      const diff = await diffBetween(state, read, replaced(state.publications, index)?.hash, publication.hash);
      return { ...publication, diff: { ...diff, headline: diffHeadline(diff), lines: diffLines(diff) } };
    }),
  );
}
