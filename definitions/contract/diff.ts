// The contract diff of two versions of one object (pure): what was added, removed, re-signed or modified, which of
// it breaks callers, and whether a breaking change was published inside a version range clients pin.
import semver from "semver";
import type { ContractChange, ContractDiff, NormalizedDefinition, RangeBreak, SurfaceKind } from "../../schemas/index.ts";
import { callerBreaks } from "./breaking.ts";
import { contractOf, type Member } from "./contract.ts";

export type { ContractChange, ContractDiff, RangeBreak };

/** Removing what callers call breaks them; events, schedules, pages and prompts are the object's own. */
const BREAKS: Record<SurfaceKind, boolean> = { method: true, tool: true, event: false, schedule: false, page: false, prompt: false };

/** A re-signed method or tool breaks only when a caller's call would fail (tools are called by argument name). */
const resignBreaks = (kind: SurfaceKind, a: Member, b: Member) =>
  BREAKS[kind] && (a.method && b.method ? callerBreaks(a.method, b.method, kind === "tool") : true);
const ORDER: SurfaceKind[] = ["method", "tool", "event", "schedule", "page", "prompt"];

/** Every change between two definitions, surface by surface, names sorted. `before` null: a new object. */
export function diffDefinitions(before: NormalizedDefinition | null, after: NormalizedDefinition): ContractChange[] {
  const old = before ? contractOf(before) : null;
  const now = contractOf(after);
  const changes: ContractChange[] = [];
  for (const kind of ORDER) {
    const was = old?.[kind] ?? new Map();
    const is = now[kind];
    for (const name of [...new Set([...was.keys(), ...is.keys()])].sort()) {
      const a = was.get(name);
      const b = is.get(name);
      if (!a) changes.push({ kind, name, change: "added", after: b!.signature, breaking: false });
      else if (!b) changes.push({ kind, name, change: "removed", before: a.signature, breaking: BREAKS[kind] });
      else if (a.signature !== b.signature) changes.push({ kind, name, change: "re-signed", before: a.signature, after: b.signature, breaking: resignBreaks(kind, a, b) });
      else if (a.body !== b.body && kind !== "tool") changes.push({ kind, name, change: "modified", after: b.signature, breaking: false });
    }
  }
  return changes;
}

/** `^1` for 1.x, `^0.3` for 0.3.x: the caret range a version belongs to. */
const caretRange = (version: string) => (semver.major(version) > 0 ? `^${semver.major(version)}` : `^0.${semver.minor(version)}`);

/** A breaking change whose new version stays in the caret range of the old one. */
export function rangeBreakOf(breaking: boolean, from: string | undefined, to: string | undefined): RangeBreak | undefined {
  if (!breaking || !from || !to || !semver.gt(to, from) || !semver.satisfies(to, `^${from}`)) return undefined;
  const suggested = semver.major(from) > 0 ? semver.inc(from, "major")! : semver.inc(from, "minor")!;
  return { from, to, range: caretRange(from), suggested };
}

export interface DiffSide {
  hash: string;
  definition: NormalizedDefinition;
  version?: string;
}

/** The diff report of two versions (`from` null: the object is new). */
export function diffContracts(from: DiffSide | null, to: DiffSide): ContractDiff {
  const changes = diffDefinitions(from?.definition ?? null, to.definition);
  const breaking = changes.some((change) => change.breaking);
  const rangeBreak = rangeBreakOf(breaking, from?.version, to.version);
  const side = (s: DiffSide) => ({ hash: s.hash, ...(s.version ? { version: s.version } : {}) });
  return { from: from ? side(from) : null, to: side(to), changes, breaking, ...(rangeBreak ? { rangeBreak } : {}) };
}
