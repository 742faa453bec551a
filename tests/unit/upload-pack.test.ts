// upload-pack's answers on a real three-commit history (made and packed by isomorphic-git in memory): negotiation
// lines in v0 with and without multi_ack_detailed, and v2's sections, with what each pack holds.
import git from "isomorphic-git";
import { beforeAll, describe, expect, it } from "vitest";
import { createObjectFs } from "../../control-plane/git/object-fs.ts";
import { parseUploadRequest } from "../../control-plane/git/protocol/requests.ts";
import { concat, FLUSH, pktLine, readPktLines } from "../../control-plane/git/protocol/pkt-line.ts";
import { parseCommandRequest } from "../../control-plane/git/protocol/v2.ts";
import type { PackStore } from "../../control-plane/git/ports.ts";
import { uploadPackV0, uploadPackV2, type RepoView } from "../../control-plane/git/upload-pack.ts";

const UNKNOWN = "d".repeat(40);
let repo: RepoView;
let commits: string[];

beforeAll(async () => {
  const scratch = createObjectFs({ read: async () => new Uint8Array() }, []);
  const fs = { fs: scratch.fs, gitdir: "/" };
  const oids: string[] = [];
  commits = [];
  for (let i = 1; i <= 3; i++) {
    const blob = await git.writeBlob({ ...fs, blob: new TextEncoder().encode(`${i}\n`) });
    const tree = await git.writeTree({ ...fs, tree: [{ mode: "100644", path: "f.txt", oid: blob, type: "blob" }] });
    const author = { name: "Ada", email: "ada@example.com", timestamp: 1_700_000_000 + i, timezoneOffset: 0 };
    const commit = await git.writeCommit({ ...fs, commit: { message: `c${i}\n`, tree, parent: commits.slice(-1), author, committer: author } });
    oids.push(blob, tree, commit);
    commits.push(commit);
  }
  const { packfile } = await git.packObjects({ ...fs, oids, write: false });
  scratch.put("objects/pack/p.pack", packfile!);
  await git.indexPack({ ...fs, dir: "/", filepath: "objects/pack/p.pack" });
  const files: Record<string, Uint8Array> = { "pack-1.pack": packfile!, "pack-1.idx": scratch.file("objects/pack/p.idx")! };
  const packs: PackStore = { names: async () => ["pack-1"], read: async (file) => files[file]!, write: async () => {}, sizes: async () => [], replace: async () => {} };
  repo = { packs, refs: [["refs/heads/main", commits[2]!]], head: "refs/heads/main" };
});

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
/** The pkt-line payloads of an answer up to its pack (side-band data starts with byte 1). */
const lines = (bytes: Uint8Array) => readPktLines(bytes)!.lines.filter((line) => line.charCodeAt(0) !== 1 && line.charCodeAt(0) !== 2);
/** How many objects the side-band pack in an answer holds (its PACK header), reading pkt-lines as bytes. */
function packCount(bytes: Uint8Array): number {
  const data: Uint8Array[] = [];
  for (let offset = 0; offset + 4 <= bytes.byteLength; ) {
    const length = Number.parseInt(text(bytes.subarray(offset, offset + 4)), 16);
    if (length < 4) {
      offset += 4; // flush, delimiter
      continue;
    }
    if (bytes[offset + 4] === 1) data.push(bytes.subarray(offset + 5, offset + length));
    offset += length;
  }
  const pack = concat(data);
  expect(text(pack.subarray(0, 4))).toBe("PACK");
  return new DataView(pack.buffer, pack.byteOffset).getUint32(8);
}
const v0 = (want: string, haves: string[], caps: string, done: boolean) =>
  uploadPackV0(repo, parseUploadRequest(concat([pktLine(`want ${want} ${caps}\n`), FLUSH, ...haves.map((have) => pktLine(`have ${have}\n`)), ...(done ? [pktLine("done\n")] : [FLUSH])])));

describe("protocol v0 negotiation", () => {
  it("with multi_ack_detailed: each common have, ready, then NAK; only NAK when nothing is common", async () => {
    expect(lines(await v0(commits[2]!, [commits[0]!, UNKNOWN], "multi_ack_detailed side-band-64k", false))).toEqual([`ACK ${commits[0]} common\n`, `ACK ${commits[0]} ready\n`, "NAK\n"]);
    expect(lines(await v0(commits[2]!, [UNKNOWN], "multi_ack_detailed side-band-64k", false))).toEqual(["NAK\n"]);
  });

  it("without it: one ACK of the first common have", async () => {
    expect(lines(await v0(commits[2]!, [UNKNOWN, commits[1]!], "side-band-64k", false))).toEqual([`ACK ${commits[1]}\n`]);
  });

  it("after done: ACK, then a pack of only what the client lacks", async () => {
    const answer = await v0(commits[2]!, [commits[1]!], "multi_ack_detailed side-band-64k", true);
    expect(lines(answer)[0]).toBe(`ACK ${commits[1]}\n`);
    expect(packCount(answer)).toBe(3);
    expect(packCount(await v0(commits[2]!, [], "side-band-64k", true))).toBe(9);
  });
});

describe("protocol v2 fetch", () => {
  const v2 = (args: string[]) => uploadPackV2(repo, parseCommandRequest(concat([pktLine("command=fetch\n"), new TextEncoder().encode("0001"), ...args.map((arg) => pktLine(`${arg}\n`)), FLUSH])));

  it("acknowledges a common have as ready and sends what lies above it", async () => {
    const answer = await v2([`want ${commits[2]}`, `have ${commits[0]}`]);
    expect(text(answer)).toContain(`acknowledgments\n`);
    expect(text(answer)).toContain(`ACK ${commits[0]}\n`);
    expect(text(answer)).toContain("ready\n");
    expect(packCount(answer)).toBe(6);
  });

  it("answers NAK alone when nothing is common and the client is not done", async () => {
    const answer = await v2([`want ${commits[2]}`, `have ${UNKNOWN}`]);
    expect(text(answer)).toContain("NAK\n");
    expect(text(answer)).not.toContain("packfile");
  });

  it("cuts the history at the asked depth and says where", async () => {
    const answer = await v2([`want ${commits[2]}`, "deepen 1", "done"]);
    expect(text(answer)).toContain(`shallow-info\n`);
    expect(text(answer)).toContain(`shallow ${commits[2]}\n`);
    expect(packCount(answer)).toBe(3);
    expect(packCount(await v2([`want ${commits[2]}`, "filter blob:none", "done"]))).toBe(6);
  });
});
