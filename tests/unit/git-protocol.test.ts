import { describe, expect, it } from "vitest";
import { concat, FLUSH, pktLine, readPktLines, sideband } from "../../control-plane/git/protocol/pkt-line.ts";
import { MalformedGitRequest, parseReceiveRequest, parseUploadRequest, ZERO_OID } from "../../control-plane/git/protocol/requests.ts";
import { advertisement, packResponse, receiveReport } from "../../control-plane/git/protocol/responses.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const A = "a".repeat(40);
const B = "b".repeat(40);

describe("pkt-lines", () => {
  it("frames payloads with their length in four hex digits, and reads them back up to a flush", () => {
    expect(text(pktLine("hello\n"))).toBe("000ahello\n");
    const bytes = concat([pktLine("one\n"), pktLine("two\n"), FLUSH, pktLine("after\n")]);
    expect(readPktLines(bytes)).toEqual({ lines: ["one\n", "two\n"], next: 20, flushed: true });
    expect(readPktLines(concat([pktLine("done\n")]))).toEqual({ lines: ["done\n"], next: 9, flushed: false });
  });

  it.each(["00", "zzzz", "0003", "0010short", "0008done\n0"])("finds %j malformed", (raw) => {
    expect(readPktLines(new TextEncoder().encode(raw))).toBeNull();
  });

  it("splits side-band data into packets of at most 65515 bytes behind the band byte", () => {
    const packets = sideband(1, new Uint8Array(70_000));
    expect(packets.map((packet) => packet.byteLength)).toEqual([65520, 4490]);
    expect(packets[0]![4]).toBe(1);
  });
});

describe("receive-pack requests", () => {
  it("reads commands, capabilities and the pack that follows", () => {
    const body = concat([pktLine(`${ZERO_OID} ${A} refs/heads/main\0report-status side-band-64k agent=git/2\n`), pktLine(`${A} ${B} refs/tags/v1\n`), FLUSH, new TextEncoder().encode("PACK....")]);
    const request = parseReceiveRequest(body);
    expect(request.commands).toEqual([
      { old: ZERO_OID, new: A, ref: "refs/heads/main" },
      { old: A, new: B, ref: "refs/tags/v1" },
    ]);
    expect([...request.capabilities]).toEqual(["report-status", "side-band-64k", "agent=git/2"]);
    expect(text(request.pack!)).toBe("PACK....");
  });

  it("has no pack for a push that only deletes", () => {
    expect(parseReceiveRequest(concat([pktLine(`${A} ${ZERO_OID} refs/heads/old\0report-status\n`), FLUSH])).pack).toBeNull();
  });

  it.each([
    ["no commands", concat([FLUSH])],
    ["a short oid", concat([pktLine(`abc ${A} refs/heads/main\n`), FLUSH])],
    ["a ref outside refs/", concat([pktLine(`${A} ${B} HEAD\n`), FLUSH])],
    ["no flush", pktLine(`${A} ${B} refs/heads/main\n`)],
  ])("refuses %s", (_, body) => {
    expect(() => parseReceiveRequest(body)).toThrow(MalformedGitRequest);
  });
});

describe("upload-pack requests", () => {
  it("reads wants with capabilities, haves and done", () => {
    const body = concat([pktLine(`want ${A} side-band-64k ofs-delta\n`), pktLine(`want ${B}\n`), FLUSH, pktLine(`have ${B}\n`), pktLine("done\n")]);
    expect(parseUploadRequest(body)).toMatchObject({ wants: [A, B], haves: [B], capabilities: new Set(["side-band-64k", "ofs-delta"]), done: true, shallow: [], deepenNot: [] });
  });

  it("reads the shallow boundary, depth and filter of a shallow or partial fetch", () => {
    const body = concat([pktLine(`want ${A} deepen-relative include-tag\n`), pktLine(`shallow ${B}\n`), pktLine("deepen 3\n"), pktLine("deepen-since 1700000000\n"), pktLine("deepen-not refs/tags/v1\n"), pktLine("filter blob:limit=2k\n"), FLUSH, pktLine("done\n")]);
    expect(parseUploadRequest(body)).toMatchObject({ shallow: [B], deepen: 3, deepenRelative: true, deepenSince: 1_700_000_000, deepenNot: ["refs/tags/v1"], filter: { kind: "blob:limit", bytes: 2048 }, includeTag: true });
  });

  it("refuses a filter it does not serve, a bad depth, and requests without wants", () => {
    expect(() => parseUploadRequest(concat([pktLine(`want ${A}\n`), pktLine("filter sparse:oid=x\n"), FLUSH]))).toThrow(/filter 'sparse:oid=x' is not served/);
    expect(() => parseUploadRequest(concat([pktLine(`want ${A}\n`), pktLine("deepen 0\n"), FLUSH]))).toThrow(/malformed deepen/);
    expect(() => parseUploadRequest(concat([FLUSH]))).toThrow(MalformedGitRequest);
  });
});

describe("responses", () => {
  it("advertises refs with capabilities on the first line, HEAD first for upload-pack", () => {
    const body = text(advertisement("git-upload-pack", [[A, "refs/heads/main"]], { oid: A, target: "refs/heads/main" }));
    expect(body.startsWith("001e# service=git-upload-pack\n0000")).toBe(true);
    expect(body).toContain(`${A} HEAD\0multi_ack_detailed side-band-64k ofs-delta no-progress shallow deepen-since deepen-not deepen-relative filter include-tag allow-tip-sha1-in-want allow-reachable-sha1-in-want agent=objects.do/1 symref=HEAD:refs/heads/main\n`);
    expect(body).toContain(`${A} refs/heads/main\n`);
    expect(body.endsWith("0000")).toBe(true);
  });

  it("follows an annotated tag with what it points at, for upload-pack only", () => {
    const refs: Array<[string, string]> = [[A, "refs/heads/main"], [B, "refs/tags/v1"]];
    const peeled = new Map([["refs/tags/v1", A]]);
    expect(text(advertisement("git-upload-pack", refs, undefined, peeled))).toContain(`${B} refs/tags/v1\n003d${A} refs/tags/v1^{}\n`);
    expect(text(advertisement("git-receive-pack", refs, undefined, peeled))).not.toContain("^{}");
  });

  it("advertises an empty repository with capabilities^{}", () => {
    expect(text(advertisement("git-receive-pack", []))).toContain(`${ZERO_OID} capabilities^{}\0report-status delete-refs side-band-64k ofs-delta no-thin`);
  });

  it("reports ok/ng per ref inside band 1, after remote: lines on band 2", () => {
    const body = receiveReport([{ ref: "refs/heads/main" }, { ref: "refs/tags/v1", error: "invalid definitions" }], ["hello.do published"], "ok", true);
    const lines = readPktLines(body)!.lines;
    expect(lines[0]).toBe("\u0002hello.do published\n");
    const status = text(new TextEncoder().encode(lines[1]!.slice(1)));
    expect(status).toBe("000eunpack ok\n0017ok refs/heads/main\n0028ng refs/tags/v1 invalid definitions\n0000");
  });

  it("sends NAK or ACK before the pack", () => {
    expect(text(packResponse(undefined, new TextEncoder().encode("PACK"))).startsWith("0008NAK\n")).toBe(true);
    expect(text(packResponse(A, new Uint8Array())).startsWith(`0031ACK ${A}\n`)).toBe(true);
  });
});
