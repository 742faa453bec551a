// What a client asks upload-pack for, the same in protocol v0 (want/have pkt-lines) and v2 (fetch arguments), pure:
// wants and haves, `done`, the shallow boundary it has and how deep it wants to go, and a partial-clone filter.
import { MalformedGitRequest } from "./requests.ts";

const OID = /^[0-9a-f]{40}$/;

/** The filters served (gitprotocol-v2 `filter`, git rev-list --filter): no blobs, blobs up to a size, no trees. */
export type ObjectFilter = { kind: "blob:none" } | { kind: "blob:limit"; bytes: number } | { kind: "tree:0" };

export interface FetchRequest {
  wants: string[];
  haves: string[];
  done: boolean;
  /** Commits the client holds without their parents (`shallow <oid>`). */
  shallow: string[];
  deepen?: number;
  /** `deepen` counts from the client's shallow boundary instead of from the wants. */
  deepenRelative: boolean;
  /** Seconds since the epoch: only commits at least this new. */
  deepenSince?: number;
  /** Refs whose history is left out. */
  deepenNot: string[];
  filter?: ObjectFilter;
  /** Annotated tags pointing into what is sent are sent too. */
  includeTag: boolean;
  /** v0 capabilities the client chose (side-band-64k, …). */
  capabilities: Set<string>;
}

const UNITS: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `blob:none`, `blob:limit=<n>[kmg]`, `tree:0`; anything else is refused by name. */
export function parseFilter(spec: string): ObjectFilter {
  if (spec === "blob:none") return { kind: "blob:none" };
  if (spec === "tree:0") return { kind: "tree:0" };
  const limit = /^blob:limit=(\d+)([kmg]?)$/i.exec(spec);
  if (limit) return { kind: "blob:limit", bytes: Number(limit[1]) * UNITS[limit[2]!.toLowerCase()]! };
  throw new MalformedGitRequest(`filter '${spec.slice(0, 80)}' is not served (blob:none, blob:limit=<n>, tree:0 are)`);
}

const oidOf = (line: string, prefix: string) => {
  const oid = line.slice(prefix.length).split(" ")[0]!;
  if (!OID.test(oid)) throw new MalformedGitRequest(`malformed ${prefix.trim()}: ${line.slice(0, 120)}`);
  return oid;
};

export const emptyFetch = (): FetchRequest => ({ wants: [], haves: [], done: false, shallow: [], deepenRelative: false, deepenNot: [], includeTag: false, capabilities: new Set() });

/** Reads one line of a fetch into `request`; false when the line is none of the fetch's own. */
export function readFetchLine(request: FetchRequest, raw: string): boolean {
  const line = raw.trimEnd();
  if (line === "done") request.done = true;
  else if (line.startsWith("want ")) request.wants.push(oidOf(line, "want "));
  else if (line.startsWith("have ")) request.haves.push(oidOf(line, "have "));
  else if (line.startsWith("shallow ")) request.shallow.push(oidOf(line, "shallow "));
  else if (line.startsWith("deepen ")) {
    const depth = Number(line.slice(7));
    if (!Number.isInteger(depth) || depth < 1) throw new MalformedGitRequest(`malformed deepen: ${line.slice(0, 60)}`);
    request.deepen = depth;
  } else if (line === "deepen-relative") request.deepenRelative = true;
  else if (line.startsWith("deepen-since ")) {
    const since = Number(line.slice(13));
    if (!Number.isInteger(since)) throw new MalformedGitRequest(`malformed deepen-since: ${line.slice(0, 60)}`);
    request.deepenSince = since;
  } else if (line.startsWith("deepen-not ")) request.deepenNot.push(line.slice(11));
  else if (line.startsWith("filter ")) request.filter = parseFilter(line.slice(7));
  else if (line === "include-tag") request.includeTag = true;
  else return false;
  return true;
}

/** Whether the client asked for a shallow history (so the answer carries a shallow-info section). */
export const isShallowRequest = (request: FetchRequest) =>
  request.shallow.length > 0 || request.deepen !== undefined || request.deepenSince !== undefined || request.deepenNot.length > 0;
