// Git's protocol v2 for upload-pack over stateless HTTP (gitprotocol-v2), pure: the capability advertisement, one
// command request (`command=ls-refs` or `command=fetch`, capabilities, a delimiter, arguments, a flush) and the
// sections of each answer.
import { concat, FLUSH, pktLine, sideband } from "./pkt-line.ts";
import { MalformedGitRequest } from "./requests.ts";

const decoder = new TextDecoder();
export const DELIM = new TextEncoder().encode("0001");
const AGENT = "agent=objects.do/1";

/** What `GET info/refs?service=git-upload-pack` answers a client that asked for `Git-Protocol: version=2`. */
export const V2_ADVERTISEMENT = concat([
  pktLine("version 2\n"),
  pktLine(`${AGENT}\n`),
  pktLine("ls-refs=unborn\n"),
  pktLine("fetch=shallow filter\n"),
  pktLine("object-format=sha1\n"),
  FLUSH,
]);

export interface CommandRequest {
  command: string;
  capabilities: string[];
  args: string[];
}

/** Whether a request's `Git-Protocol` header asks for version 2. */
export const wantsV2 = (header: string | null) => (header ?? "").split(":").includes("version=2");

/** One command request: pkt-lines where `0001` ends the capabilities and `0000` the arguments. */
export function parseCommandRequest(body: Uint8Array): CommandRequest {
  const head: string[] = [];
  const args: string[] = [];
  let section = head;
  let position = 0;
  let ended = false;
  while (position + 4 <= body.byteLength) {
    const length = Number.parseInt(decoder.decode(body.subarray(position, position + 4)), 16);
    if (!Number.isInteger(length) || length === 2 || length === 3 || position + Math.max(length, 4) > body.byteLength) break;
    position += 4;
    if (length === 0) {
      ended = true;
      break;
    }
    if (length === 1) {
      section = args;
      continue;
    }
    section.push(decoder.decode(body.subarray(position, position + length - 4)).replace(/\n$/, ""));
    position += length - 4;
  }
  if (!ended) throw new MalformedGitRequest("a protocol v2 command ends with a flush");
  const command = head.find((line) => line.startsWith("command="))?.slice("command=".length);
  if (!command) throw new MalformedGitRequest("a protocol v2 request names its command (command=ls-refs or command=fetch)");
  return { command, capabilities: head.filter((line) => !line.startsWith("command=")), args };
}

export interface ListedRef {
  name: string;
  oid: string;
  /** HEAD's target, shown with `symrefs`. */
  symref?: string;
  /** What an annotated tag points at, shown with `peel`. */
  peeled?: string;
}

/** The ls-refs answer: one line per ref, then a flush. */
export function lsRefsResponse(refs: readonly ListedRef[], options: { symrefs: boolean; peel: boolean }, unbornHead?: string): Uint8Array {
  const lines = refs.map((ref) => {
    const symref = options.symrefs && ref.symref ? ` symref-target:${ref.symref}` : "";
    const peeled = options.peel && ref.peeled ? ` peeled:${ref.peeled}` : "";
    return pktLine(`${ref.oid} ${ref.name}${symref}${peeled}\n`);
  });
  return concat([...(unbornHead ? [pktLine(`unborn HEAD symref-target:${unbornHead}\n`)] : []), ...lines, FLUSH]);
}

export interface FetchAnswer {
  /** Present when the client did not say `done`: the haves found common, and whether a pack follows. */
  acknowledgments?: { common: string[]; ready: boolean };
  /** Present for a shallow request: the commits the client is to treat as shallow, or no longer. */
  shallowInfo?: { shallow: string[]; unshallow: string[] };
  pack?: Uint8Array;
}

/** The fetch answer's sections, each but the last ended by a delimiter, the whole by a flush. */
export function fetchResponse(answer: FetchAnswer): Uint8Array {
  const sections: Uint8Array[][] = [];
  if (answer.acknowledgments) {
    const { common, ready } = answer.acknowledgments;
    sections.push([pktLine("acknowledgments\n"), ...(common.length ? common.map((oid) => pktLine(`ACK ${oid}\n`)) : [pktLine("NAK\n")]), ...(ready ? [pktLine("ready\n")] : [])]);
  }
  if (answer.pack && answer.shallowInfo) {
    const { shallow, unshallow } = answer.shallowInfo;
    sections.push([pktLine("shallow-info\n"), ...shallow.map((oid) => pktLine(`shallow ${oid}\n`)), ...unshallow.map((oid) => pktLine(`unshallow ${oid}\n`))]);
  }
  if (answer.pack) sections.push([pktLine("packfile\n"), ...sideband(1, answer.pack)]);
  return concat([...sections.flatMap((section, index) => (index < sections.length - 1 ? [...section, DELIM] : section)), FLUSH]);
}
