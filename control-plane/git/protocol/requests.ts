// Parsing the bodies git sends to receive-pack and upload-pack (protocol v0/v1, stateless HTTP), pure.
import { readPktLines } from "./pkt-line.ts";
import { emptyFetch, readFetchLine, type FetchRequest } from "./fetch-request.ts";

export type { FetchRequest };

const OID = /^[0-9a-f]{40}$/;
export const ZERO_OID = "0".repeat(40);

export interface RefCommand {
  old: string;
  new: string;
  ref: string;
}

export interface ReceiveRequest {
  commands: RefCommand[];
  capabilities: Set<string>;
  /** `git push -o <option>`: sent after the commands when both sides speak `push-options`. */
  options: string[];
  /** The packfile after the commands; null for a push that only deletes refs. */
  pack: Uint8Array | null;
}

/** A malformed request: answered 400 before anything is stored. */
export class MalformedGitRequest extends Error {
  override name = "MalformedGitRequest";
}

function splitCapabilities(line: string): [string, Set<string>] {
  const nul = line.indexOf("\0");
  if (nul < 0) return [line, new Set()];
  return [line.slice(0, nul), new Set(line.slice(nul + 1).trim().split(" ").filter(Boolean))];
}

/** `<old> <new> <ref>` commands (capabilities after a NUL on the first), a flush, then the pack. */
export function parseReceiveRequest(body: Uint8Array): ReceiveRequest {
  const parsed = readPktLines(body);
  if (!parsed || !parsed.flushed || parsed.lines.length === 0) throw new MalformedGitRequest("expected ref update commands and a flush");
  let capabilities = new Set<string>();
  const commands = parsed.lines.map((raw, index) => {
    const [line, caps] = index === 0 ? splitCapabilities(raw) : [raw, undefined];
    if (caps) capabilities = caps;
    const [old, next, ref, ...rest] = line.trimEnd().split(" ");
    if (!old || !next || !ref || rest.length > 0 || !OID.test(old) || !OID.test(next) || !ref.startsWith("refs/")) {
      throw new MalformedGitRequest(`malformed command: ${line.slice(0, 120)}`);
    }
    return { old, new: next, ref };
  });
  let rest = body.subarray(parsed.next);
  const options: string[] = [];
  if (capabilities.has("push-options")) {
    const section = readPktLines(rest);
    if (!section || !section.flushed) throw new MalformedGitRequest("expected push options and a flush");
    options.push(...section.lines.map((line) => line.replace(/\n$/, "")));
    rest = rest.subarray(section.next);
  }
  return { commands, capabilities, options, pack: rest.byteLength > 0 ? rest : null };
}

/**
 * `want` lines (capabilities on the first), `shallow`/`deepen*`/`filter` lines, a flush, `have` lines, and `done`
 * when the client is finished.
 */
export function parseUploadRequest(body: Uint8Array): FetchRequest {
  const request = emptyFetch();
  let offset = 0;
  while (offset < body.byteLength) {
    const parsed = readPktLines(body, offset);
    if (!parsed) throw new MalformedGitRequest("a pkt-line is malformed or cut short");
    for (const raw of parsed.lines) {
      if (raw.startsWith("want ") && request.wants.length === 0) {
        const [, , ...caps] = raw.trimEnd().split(" ");
        request.capabilities = new Set(caps);
        if (request.capabilities.has("include-tag")) request.includeTag = true;
        if (request.capabilities.has("deepen-relative")) request.deepenRelative = true;
      }
      readFetchLine(request, raw.startsWith("want ") ? raw.trimEnd().split(" ").slice(0, 2).join(" ") : raw);
    }
    if (!parsed.flushed) break;
    offset = parsed.next;
  }
  if (request.wants.length === 0) throw new MalformedGitRequest("expected at least one want");
  return request;
}
