// What the two smart HTTP services answer (pure): ref advertisements, report-status, pack delivery.
import { printable } from "../../../schemas/index.ts";
import { concat, FLUSH, pktLine, sideband } from "./pkt-line.ts";
import { ZERO_OID } from "./requests.ts";

export type Service = "git-upload-pack" | "git-receive-pack";

const AGENT = "agent=objects.do/1";
export const CAPABILITIES: Record<Service, string> = {
  // no-thin: clients must send whole packs, since a thin pack's bases would have to be looked up while indexing.
  "git-receive-pack": `report-status delete-refs side-band-64k ofs-delta no-thin quiet push-options ${AGENT}`,
  // multi_ack_detailed: fetch negotiates over rounds; shallow and filter: depth-limited and partial clones;
  // allow-*-in-want: a partial clone fetches what it left out.
  "git-upload-pack": `multi_ack_detailed side-band-64k ofs-delta no-progress shallow deepen-since deepen-not deepen-relative filter include-tag allow-tip-sha1-in-want allow-reachable-sha1-in-want ${AGENT}`,
};

/**
 * `GET …/info/refs?service=…`: the service line, then every ref (HEAD first for upload-pack), capabilities on the
 * first; each annotated tag is followed by what it points at (`<oid> refs/tags/v1^{}`) for upload-pack.
 */
export function advertisement(service: Service, refs: ReadonlyArray<[string, string]>, head?: { oid: string; target: string }, peeled: ReadonlyMap<string, string> = new Map()): Uint8Array {
  const caps = service === "git-upload-pack" && head ? `${CAPABILITIES[service]} symref=HEAD:${head.target}` : CAPABILITIES[service];
  const withPeeled = refs.flatMap(([oid, name]): Array<[string, string]> => (service === "git-upload-pack" && peeled.has(name) ? [[oid, name], [peeled.get(name)!, `${name}^{}`]] : [[oid, name]]));
  const listed: Array<[string, string]> = service === "git-upload-pack" && head ? [[head.oid, "HEAD"], ...withPeeled] : withPeeled;
  const lines =
    listed.length === 0
      ? [pktLine(`${ZERO_OID} capabilities^{}\0${caps}\n`)]
      : listed.map(([oid, name], index) => pktLine(index === 0 ? `${oid} ${name}\0${caps}\n` : `${oid} ${name}\n`));
  return concat([pktLine(`# service=${service}\n`), FLUSH, ...lines, FLUSH]);
}

export interface RefResult {
  ref: string;
  /** Undefined when the update was applied; otherwise why not (shown by git as `[remote rejected] (why)`). */
  error?: string;
}

/**
 * The receive-pack answer: `remote:` lines on band 2, then report-status on band 1 (when the client asked for
 * side-band-64k; plain pkt-lines otherwise), then a flush. Every line is escaped here, whatever it carries (ids,
 * paths, ref names, commit text): a newline or an escape sequence can never forge a line of its own.
 */
export function receiveReport(results: readonly RefResult[], messages: readonly string[], unpack: string, useSideband: boolean): Uint8Array {
  const status = concat([
    pktLine(`unpack ${printable(unpack)}\n`),
    // The ref is echoed as sent (git matches it to its own), unless it holds what would break the line.
    ...results.map(({ ref, error }) => pktLine(error === undefined ? `ok ${ref}\n` : `ng ${/[\u0000-\u001f\u007f]/.test(ref) ? printable(ref) : ref} ${printable(error)}\n`)),
    FLUSH,
  ]);
  if (!useSideband) return status;
  const remote = messages.flatMap((message) => sideband(2, `${printable(message)}\n`));
  return concat([...remote, ...sideband(1, status), FLUSH]);
}

/** The upload-pack answer: `ACK <common>` or `NAK`, then the pack on band 1, then a flush. */
export function packResponse(common: string | undefined, pack: Uint8Array): Uint8Array {
  return concat([pktLine(common ? `ACK ${common}\n` : "NAK\n"), ...sideband(1, pack), FLUSH]);
}
