// Unmerged code never touches production's state, by any URL: a branch's or preview's commit called by its hash, a
// prefix, a pin header or cookie, MCP, a page or a schedule run runs on its own environment's state. Real git CLI.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";
import { remoteLines, workingCopy, type WorkingCopy } from "../support/git.ts";

let e2e: E2E;
let repo: WorkingCopy;
let admin: string;

// Production has no `wipe`; the branch and the preview add one, and a schedule that wipes too.
const notes = (label: string, wipe: boolean, config: Record<string, unknown> = {}) =>
  JSON.stringify({
    config,
    api: {
      add: "async (text) => $.db.Note.create({ text })",
      list: "async () => (await $.db.Note.list()).map((n) => n.text).sort()",
      label: `async () => ${JSON.stringify(label)}`,
      ...(wipe ? { wipe: "async () => { for (const n of await $.db.Note.list()) await $.db.Note.delete(n.id); return 'wiped' }" } : {}),
    },
    ...(wipe ? { schedules: { "every.hour": "async () => { for (const n of await $.db.Note.list()) await $.db.Note.delete(n.id); }" } } : {}),
    site: { "/": "# Notes\n\n{(await $.db.Note.list()).length} notes" },
  });

const call = async (path: string, method: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${e2e.server.url}/${path}/rpc`, { method: "POST", headers, body: JSON.stringify({ method, params: [] }) });
  return { status: response.status, body: (await response.json()) as { result?: unknown; code?: string; detail?: string } };
};
const authorized: Record<string, string> = {};
const production = async () => (await call("env.do", "list")).body.result;

let branchSha = "";

beforeAll(async () => {
  e2e = await startE2E();
  admin = await e2e.token();
  authorized["authorization"] = `Bearer ${admin}`;
  repo = await workingCopy({ remote: `${e2e.server.url}/_/git/env.git`, token: admin });
  await repo.commit("production", { "env.do.json": notes("production", false) });
  expect((await repo.git("push", "objects", "main")).code).toBe(0);
  const added = await fetch(`${e2e.server.url}/env.do/rpc`, { method: "POST", body: JSON.stringify({ method: "add", params: ["keep me"] }) });
  expect(added.status).toBe(200);
});
afterAll(async () => {
  repo?.remove();
  await e2e?.stop();
});

describe("a branch's commit called by its hash", () => {
  it("prints @feat first, and a hash URL that leads to the branch", async () => {
    await repo.git("checkout", "-q", "-b", "feat");
    branchSha = await repo.commit("a wipe", { "env.do.json": notes("feat", true) });
    const push = await repo.git("push", "objects", "feat");
    expect(push.code, push.stderr).toBe(0);
    const line = remoteLines(push).find((text) => text.startsWith("env.do"))!;
    const urls = line.split(/\s+/).filter((word) => word.startsWith("http"));
    expect(urls).toEqual([`${e2e.server.url}/env.do@feat`, `${e2e.server.url}/env.do@${branchSha.slice(0, 7)}`]);
  });

  it("runs on the branch's state by the full sha, a short prefix and the content hash", async () => {
    const before = await production();
    expect(before).toEqual(["keep me"]);
    for (const ref of [branchSha, branchSha.slice(0, 5)]) {
      expect(await call(`env.do@${ref}`, "label")).toMatchObject({ status: 200, body: { result: "feat" } });
      expect(await call(`env.do@${ref}`, "wipe")).toMatchObject({ status: 200, body: { result: "wiped" } });
    }
    const hash = (await fetch(`${e2e.server.url}/env.do@feat/rpc`, { method: "POST", body: '{"method":"label"}' })).headers.get("objects-version")!;
    expect(await call(`env.do@${hash.slice(0, 10)}`, "wipe")).toMatchObject({ status: 200 });
    expect(await production()).toEqual(before);
  });

  it("never runs on production's state through a pin, MCP, a page or a schedule run", async () => {
    const before = await production();
    const hash = (await fetch(`${e2e.server.url}/env.do@feat/rpc`, { method: "POST", body: '{"method":"label"}' })).headers.get("objects-version")!;
    // A pin header naming the branch's version on production's URL is refused; a cookie is ignored.
    expect(await call("env.do", "wipe", { "objects-version": hash })).toMatchObject({ status: 409, body: { code: "version-pin-elsewhere" } });
    expect(await call("env.do", "label", { "objects-version": branchSha.slice(0, 8) })).toMatchObject({ status: 409 });
    expect(await call("env.do", "label", { cookie: `objects-version=${hash}` })).toMatchObject({ status: 200, body: { result: "production" } });
    // MCP by hash: the tool runs on the branch's state.
    const mcp = await fetch(`${e2e.server.url}/env.do@${branchSha.slice(0, 7)}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "wipe", arguments: {} } }),
    });
    expect(mcp.status).toBe(200);
    expect(await mcp.text()).toContain("wiped");
    // A schedule run by hash runs on the branch's state.
    const ran = await fetch(`${e2e.server.url}/env.do@${branchSha.slice(0, 7)}/__schedules/run?pattern=every.hour`, { method: "POST", headers: authorized });
    expect(ran.status).toBe(200);
    expect(await production()).toEqual(before);
    // A page by hash reads the branch's state (empty), production's page its own.
    await call(`env.do@${branchSha.slice(0, 7)}`, "wipe");
    expect(await (await fetch(`${e2e.server.url}/env.do@${branchSha.slice(0, 7)}/`)).text()).toContain("0 notes");
    expect(await (await fetch(`${e2e.server.url}/env.do/`)).text()).toContain(`${(before as string[]).length} notes`);
  });

  it("moves to production's state once production publishes it (a merge)", async () => {
    await repo.git("checkout", "-q", "main");
    await repo.git("merge", "-q", "--ff-only", "feat");
    const push = await repo.git("push", "objects", "main");
    expect(push.code, push.stderr).toBe(0);
    expect(remoteLines(push).join("\n")).toContain(`${e2e.server.url}/env.do@${branchSha.slice(0, 7)}`);
    expect(await call(`env.do@${branchSha.slice(0, 7)}`, "list")).toEqual(await call("env.do", "list"));
    expect((await call("env.do", "list")).body.result).toContain("keep me");
  });
});

describe("a preview pushed to refs/for/main/<topic>, called by its hash", () => {
  it("prints @preview-<topic> first, and by hash stays protected and on the preview's state", async () => {
    const before = await production();
    // A forked preview holds a copy of production's data, so it is protected.
    const sha = await repo.commit("preview wipe", { "env.do.json": notes("preview", true, { preview: { state: "fork" } }).replace("wiped", "wiped here") });
    const push = await repo.git("push", "objects", "HEAD:refs/for/main/topic");
    expect(push.code, push.stderr).toBe(0);
    const urls = remoteLines(push).find((text) => text.startsWith("env.do"))!.split(/\s+/).filter((word) => word.startsWith("http"));
    expect(urls[0]).toBe(`${e2e.server.url}/env.do@preview-topic`);
    expect(urls).toContain(`${e2e.server.url}/env.do@${sha.slice(0, 7)}`);
    expect(await call(`env.do@${sha.slice(0, 7)}`, "label")).toMatchObject({ status: 401, body: { code: "preview-protected" } });
    expect(await call(`env.do@${sha.slice(0, 7)}`, "label", authorized)).toMatchObject({ status: 200, body: { result: "preview" } });
    expect(await call(`env.do@${sha.slice(0, 7)}`, "wipe", authorized)).toMatchObject({ status: 200, body: { result: "wiped here" } });
    expect(await production()).toEqual(before);
    await repo.git("reset", "-q", "--hard", "HEAD~1");
  });
});
