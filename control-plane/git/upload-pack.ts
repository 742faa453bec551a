// upload-pack: clone, fetch and pull in protocol v0 (want/have, one round per stateless request) and v2 (ls-refs,
// fetch with acknowledgments), both with shallow and partial fetches planned by fetch-plan.ts.
import git from "isomorphic-git";
import { createObjectFs } from "./object-fs.ts";
import { peel, planFetch, type ObjectContext } from "./fetch-plan.ts";
import type { PackStore } from "./ports.ts";
import { emptyFetch, isShallowRequest, readFetchLine, type FetchRequest } from "./protocol/fetch-request.ts";
import { concat, FLUSH, pktLine } from "./protocol/pkt-line.ts";
import { packResponse } from "./protocol/responses.ts";
import { fetchResponse, lsRefsResponse, type CommandRequest, type ListedRef } from "./protocol/v2.ts";
import { MalformedGitRequest } from "./protocol/requests.ts";

export interface RepoView {
  packs: PackStore;
  /** Every ref, `[name, oid]`. */
  refs: ReadonlyArray<[string, string]>;
  /** The branch HEAD names. */
  head: string;
}

async function contextOf(packs: PackStore): Promise<ObjectContext> {
  return { fs: createObjectFs(packs, await packs.names()).fs, gitdir: "/", cache: {} };
}

const pack = async (context: ObjectContext, oids: string[]) =>
  (await git.packObjects({ ...(context as Parameters<typeof git.packObjects>[0]), oids, write: false })).packfile!;

/** What each annotated tag among `refs` points at (for peeled `^{}` lines and `peel`). */
export async function peeledTags(packs: PackStore, refs: ReadonlyArray<[string, string]>): Promise<Map<string, string>> {
  const tags = refs.filter(([name]) => name.startsWith("refs/tags/"));
  const peeled = new Map<string, string>();
  if (tags.length === 0) return peeled;
  const context = await contextOf(packs);
  for (const [name, oid] of tags) {
    try {
      const target = (await peel(context, oid)).oid;
      if (target !== oid) peeled.set(name, target);
    } catch {
      // a ref to an object the packs lack is listed unpeeled
    }
  }
  return peeled;
}

/**
 * Protocol v0, stateless, as git's own upload-pack answers each round: shallow-info first when asked (`shallow` and
 * `unshallow` lines, a flush). Before `done`: with `multi_ack_detailed`, `ACK <oid> common` for each common have,
 * `ACK <oid> ready` once a pack can be sent, then `NAK`; without it, `ACK` of the first common have, or `NAK`. After
 * `done`: `ACK` of the last common have (or `NAK`), then the pack. A clone says `done` in its first request.
 */
export async function uploadPackV0(repo: RepoView, request: FetchRequest): Promise<Uint8Array> {
  const context = await contextOf(repo.packs);
  const plan = await planFetch(context, request, repo.refs);
  const shallowInfo = isShallowRequest(request) ? [...plan.shallow.map((oid) => pktLine(`shallow ${oid}\n`)), ...plan.unshallow.map((oid) => pktLine(`unshallow ${oid}\n`)), FLUSH] : [];
  const last = plan.common.at(-1);
  if (!request.done) {
    // The first round of a shallow fetch carries no haves: git reads the shallow list alone, then says done.
    if (request.haves.length === 0 && isShallowRequest(request)) return concat(shallowInfo);
    const acks = request.capabilities.has("multi_ack_detailed")
      ? [...plan.common.map((oid) => `ACK ${oid} common`), ...(last && plan.ready ? [`ACK ${last} ready`] : []), "NAK"]
      : plan.common.length ? [`ACK ${plan.common[0]}`] : ["NAK"];
    return concat([...shallowInfo, ...acks.map((line) => pktLine(`${line}\n`))]);
  }
  return concat([...shallowInfo, packResponse(last, await pack(context, plan.objects))]);
}

/** The arguments of a v2 fetch as a FetchRequest (unknown arguments are refused, as git's own server does). */
function fetchArgs(args: readonly string[]): FetchRequest {
  const request = emptyFetch();
  for (const arg of args) {
    if (readFetchLine(request, arg)) continue;
    if (["thin-pack", "no-progress", "ofs-delta", "sideband-all", "wait-for-done"].includes(arg)) continue;
    throw new MalformedGitRequest(`unexpected fetch argument: ${arg.slice(0, 80)}`);
  }
  if (request.wants.length === 0) throw new MalformedGitRequest("a fetch wants at least one object");
  return request;
}

/** Protocol v2: `ls-refs` (prefixes, peeled tags, HEAD's target) or `fetch`. */
export async function uploadPackV2(repo: RepoView, command: CommandRequest): Promise<Uint8Array> {
  if (command.command === "ls-refs") {
    const prefixes = command.args.filter((arg) => arg.startsWith("ref-prefix ")).map((arg) => arg.slice("ref-prefix ".length));
    const headOid = repo.refs.find(([name]) => name === repo.head)?.[1];
    const all: ListedRef[] = [...(headOid ? [{ name: "HEAD", oid: headOid, symref: repo.head }] : []), ...repo.refs.map(([name, oid]) => ({ name, oid }))];
    const listed = all.filter((ref) => prefixes.length === 0 || prefixes.some((prefix) => ref.name.startsWith(prefix)));
    const peel = command.args.includes("peel");
    const peeled = peel ? await peeledTags(repo.packs, repo.refs) : new Map<string, string>();
    const refs = listed.map((ref) => (peeled.has(ref.name) ? { ...ref, peeled: peeled.get(ref.name)! } : ref));
    const unborn = !headOid && command.args.includes("unborn") && (prefixes.length === 0 || prefixes.some((prefix) => "HEAD".startsWith(prefix))) ? repo.head : undefined;
    return lsRefsResponse(refs, { symrefs: command.args.includes("symrefs"), peel }, unborn);
  }
  if (command.command !== "fetch") throw new MalformedGitRequest(`unknown command: ${command.command.slice(0, 40)}`);
  const request = fetchArgs(command.args);
  const context = await contextOf(repo.packs);
  const plan = await planFetch(context, request, repo.refs);
  const acknowledgments = request.done ? undefined : { common: plan.common, ready: plan.ready };
  if (!plan.ready) return fetchResponse({ ...(acknowledgments ? { acknowledgments } : {}) });
  return fetchResponse({
    ...(acknowledgments ? { acknowledgments } : {}),
    ...(isShallowRequest(request) ? { shallowInfo: { shallow: plan.shallow, unshallow: plan.unshallow } } : {}),
    pack: await pack(context, plan.objects),
  });
}
