// RepoDO: one git repository served over smart HTTP (info/refs, receive-pack, upload-pack). A thin shell.
import { DurableObject } from "cloudflare:workers";
import { ObjectsError, problemResponse } from "../../core/index.ts";
import type { PipelineDeps } from "../pipeline/publish-commit.ts";
import type { Principal } from "../http/auth.ts";
import { concat } from "./protocol/pkt-line.ts";
import { MalformedGitRequest, parseReceiveRequest, parseUploadRequest } from "./protocol/requests.ts";
import { advertisement, receiveReport, type Service } from "./protocol/responses.ts";
import { receivePack } from "./receive-pack.ts";
import { repack } from "./repack.ts";
import { r2PackStore, REPO_SCHEMA, sqlBranchObjects, sqlRepoRefs } from "./repo-storage.ts";
import { peeledTags, uploadPackV0, uploadPackV2, type RepoView } from "./upload-pack.ts";
import { parseCommandRequest, V2_ADVERTISEMENT, wantsV2 } from "./protocol/v2.ts";

export interface RepoDeps {
  pipeline: PipelineDeps;
  packs: R2Bucket;
}

/** Headers the Worker sets after authenticating; a client's own are never passed through. */
export const REPO_HEADERS = { repo: "x-objects-repo", origin: "x-objects-origin", principal: "x-objects-principal" } as const;
export const MAX_PUSH_BYTES = 64 * 1024 * 1024;

const isProbe = (body: Uint8Array) => body.byteLength === 4 && new TextDecoder().decode(body) === "0000";
const gitResponse = (body: Uint8Array, type: string) => new Response(body, { headers: { "content-type": type, "cache-control": "no-cache" } });

// Bodies may be gzipped by git; the cap applies to the bytes after decompression (a bomb stops at the cap).
async function readBody(request: Request): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const stream = request.headers.get("content-encoding") === "gzip" ? request.body.pipeThrough(new DecompressionStream("gzip")) : request.body;
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    total += next.value.byteLength;
    if (total > MAX_PUSH_BYTES) {
      await reader.cancel();
      throw new ObjectsError("push-too-large", `a push may carry at most ${MAX_PUSH_BYTES} bytes`);
    }
    chunks.push(next.value);
  }
  return concat(chunks);
}

export abstract class RepoDOBase extends DurableObject {
  protected abstract deps(): RepoDeps;
  private readonly sql = this.ctx.storage.sql;
  private readonly packCache = new Map<string, Uint8Array>();
  // Pushes to one repository run one after another; clones never wait.
  private pushes: Promise<unknown> = Promise.resolve();
  private cachedDeps?: RepoDeps;

  private get dependencies(): RepoDeps {
    return (this.cachedDeps ??= this.deps());
  }

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql.exec(REPO_SCHEMA);
  }

  /**
   * A preview pushed here lost objects outside a push (removed, expired): its object list forgets them, and a topic
   * left with none loses its git ref too. Runs in the line of pushes, so it never races one.
   */
  forgetPreview(key: string, gitRef: string | undefined, ids: string[]): Promise<void> {
    const run = this.pushes.then(async () => {
      const objects = sqlBranchObjects(this.sql);
      const left = new Map([...(await objects.get(key))].filter(([id]) => !ids.includes(id)));
      await objects.set(key, left);
      if (left.size > 0 || !gitRef) return;
      const refs = sqlRepoRefs(this.sql);
      const current = (await refs.list()).find(([name]) => name === gitRef)?.[1];
      if (current) await refs.compareAndSet(gitRef, current, null);
    });
    this.pushes = run.catch(() => undefined);
    return run;
  }

  override async fetch(request: Request): Promise<Response> {
    try {
      const url = new URL(request.url);
      const repo = request.headers.get(REPO_HEADERS.repo)!;
      const principal = JSON.parse(request.headers.get(REPO_HEADERS.principal) ?? "null") as Principal | null;
      if (!principal) throw new ObjectsError("token-invalid", "authentication is required");
      const refs = sqlRepoRefs(this.sql);
      const packs = r2PackStore(this.dependencies.packs, repo, this.sql, this.packCache);
      if (url.pathname.endsWith("/info/refs")) {
        const service = url.searchParams.get("service") as Service | null;
        if (service !== "git-upload-pack" && service !== "git-receive-pack") throw new ObjectsError("dumb-http-unsupported", "only git's smart HTTP protocol is served");
        // Protocol v2 (asked for in Git-Protocol) advertises capabilities; the refs come with ls-refs.
        if (service === "git-upload-pack" && wantsV2(request.headers.get("git-protocol"))) return gitResponse(V2_ADVERTISEMENT, `application/x-${service}-advertisement`);
        const listed = await refs.list();
        const headRef = await refs.head();
        const headOid = listed.find(([name]) => name === headRef)?.[1];
        const peeled = service === "git-upload-pack" ? await peeledTags(packs, listed) : new Map<string, string>();
        return gitResponse(advertisement(service, listed.map(([name, oid]) => [oid, name]), headOid ? { oid: headOid, target: headRef } : undefined, peeled), `application/x-${service}-advertisement`);
      }
      const body = await readBody(request);
      // Before a body larger than its post buffer, git sends a lone flush to check it may post at all.
      if (isProbe(body)) return new Response(null, { status: 200 });
      if (url.pathname.endsWith("/git-upload-pack")) {
        const view: RepoView = { packs, refs: await refs.list(), head: await refs.head() };
        const answer = wantsV2(request.headers.get("git-protocol")) ? await uploadPackV2(view, parseCommandRequest(body)) : await uploadPackV0(view, parseUploadRequest(body));
        return gitResponse(answer, "application/x-git-upload-pack-result");
      }
      if (url.pathname.endsWith("/git-receive-pack")) {
        const parsed = parseReceiveRequest(body);
        const pusher = { repo, origin: request.headers.get(REPO_HEADERS.origin) ?? "", publisher: { source: "git" as const, actor: principal.subject, scopes: principal.scopes } };
        const run = this.pushes.then(() => receivePack({ packs, refs, branches: sqlBranchObjects(this.sql), pipeline: this.dependencies.pipeline }, pusher, parsed));
        // After the push has answered, and before the next one starts: merge packs when there are too many.
        this.pushes = run.catch(() => undefined).then(() => repack(packs)).catch((error: Error) => console.error("repack failed", error.message));
        this.ctx.waitUntil(this.pushes);
        const result = await run;
        return gitResponse(receiveReport(result.results, result.messages, result.unpack, parsed.capabilities.has("side-band-64k")), "application/x-git-receive-pack-result");
      }
      throw new ObjectsError("not-found", "no such git endpoint");
    } catch (error) {
      if (error instanceof MalformedGitRequest) return problemResponse(new ObjectsError("git-request-malformed", error.message));
      return problemResponse(error);
    }
  }
}
