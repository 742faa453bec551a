// What the local supervisor (`npm start`) and the runtime say to each other, written and read here only: the loader
// id that names a version's isolate, and the in-flight lines a sandboxed call prints before it starts and once it ends.

/** A version's isolate: the runtime's module version, the environment, the object id and the content hash. */
export interface LoaderLabel {
  runtime: string;
  environment: string;
  id: string;
  hash: string;
}

/** `v<runtime>:<environment>:<id>:<hash>`. Ids and environments hold no `:` (their grammars forbid it). */
export function formatLoaderId({ runtime, environment, id, hash }: LoaderLabel): string {
  return `v${runtime}:${environment}:${id}:${hash}`;
}

/** The parts of a loader id, or null for anything that is not one (a content hash is 64 hex digits). */
export function parseLoaderId(label: string): LoaderLabel | null {
  const [version, environment, id, hash, ...rest] = label.split(":");
  if (!version?.startsWith("v") || !environment || !id || !hash || !/^[0-9a-f]{64}$/.test(hash) || rest.length > 0) return null;
  return { runtime: version.slice(1), environment, id, hash };
}

/** A call starts (`start-cold`: its version's first in this runtime, which compiles it first) or ends. */
export type InFlightKind = "start" | "start-cold" | "end";

export interface InFlightLine {
  kind: InFlightKind;
  /** The call's number in this runtime: a start and its end share it. */
  call: number;
  label: string;
  /** What runs (`method customers.create`); empty on an end. */
  what: string;
}

/** `<marker> <kind> <call> <label>[ <what>]`: the marker is the supervisor's secret, so no definition can forge one. */
export function formatInFlight(marker: string, { kind, call, label, what }: InFlightLine): string {
  return `${marker} ${kind} ${call} ${label}${what ? ` ${what}` : ""}`;
}

/** An in-flight line under this marker, or null for any other line of the runtime's output. */
export function parseInFlight(marker: string, line: string): InFlightLine | null {
  if (!line.startsWith(`${marker} `)) return null;
  const [kind, call, label, ...what] = line.slice(marker.length + 1).split(" ");
  if ((kind !== "start" && kind !== "start-cold" && kind !== "end") || !label || !Number.isSafeInteger(Number(call))) return null;
  return { kind, call: Number(call), label, what: what.join(" ") };
}
