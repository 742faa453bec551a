// Previews without GitHub, end to end with the real git CLI: `git push objects HEAD:refs/for/<branch>/<topic>`
// publishes a preview; a forked one starts with production's state (redacted), keeps its writes, resets, expires,
// is listed and removed; a protected one opens with a token or a share link; events reach the preview's objects.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";
import { remoteLines, workingCopy, type WorkingCopy } from "../support/git.ts";

let e2e: E2E;
let repo: WorkingCopy;
let admin: string;

// Notes keep an email each; a forked preview scrubs them before it serves anything.
const notes = (version: string, preview: Record<string, unknown> = { state: "fork" }) =>
  JSON.stringify({
    api: {
      add: "async (text, email) => $.db.Note.create({ text, email })",
      list: "async () => (await $.db.Note.list()).map((n) => `${n.text} <${n.email}>`).sort()",
      version: `async () => ${JSON.stringify(version)}`,
    },
    preview: { redact: "async () => { for (const n of await $.db.Note.list()) await $.db.Note.update(n.id, { email: 'redacted' }); }" },
    config: { preview },
  });

const call = async (path: string, method: string, params: unknown[] = [], headers: Record<string, string> = {}) => {
  const response = await fetch(`${e2e.server.url}/${path}/rpc`, { method: "POST", headers, body: JSON.stringify({ method, params }) });
  return { status: response.status, body: (await response.json()) as { result?: unknown; code?: string; detail?: string } };
};
const result = async (path: string, method: string, params: unknown[] = []) => {
  const answer = await call(path, method, params);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.result;
};
const management = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${e2e.server.url}${path}`, { ...init, headers: { authorization: `Bearer ${admin}`, ...(init.headers as Record<string, string>) } });
  return { status: response.status, body: response.status === 204 ? null : ((await response.json()) as Record<string, unknown>) };
};
const previewsOf = async () => ((await management("/_/previews")).body as { previews: Array<Record<string, unknown>> }).previews;

beforeAll(async () => {
  e2e = await startE2E();
  admin = await e2e.token();
  repo = await workingCopy({ remote: `${e2e.server.url}/_/git/shop.git`, token: admin });
  await repo.commit("production", { "notes.do.json": notes("production") });
  expect((await repo.git("push", "objects", "main")).code).toBe(0);
  await result("notes.do", "add", ["first", "ada@example.com"]);
});
afterAll(async () => {
  repo?.remove();
  await e2e?.stop();
});

describe("a preview pushed to refs/for/<branch>/<topic>", () => {
  it("publishes preview-<topic> with production's state, redacted, and names its URL in the remote: lines", async () => {
    await repo.commit("login change", { "notes.do.json": notes("login") });
    const push = await repo.git("push", "objects", "HEAD:refs/for/main/login");
    expect(push.code, push.stderr).toBe(0);
    expect(remoteLines(push).join("\n")).toContain(`${e2e.server.url}/notes.do@preview-login`);
    expect(remoteLines(push)).toEqual(expect.arrayContaining([expect.stringMatching(/^notes\.do: state forked from production: [\d.]+ KiB in \d+ ms, then redacted by preview\.redact$/)]));
    expect(await result("notes.do@preview-login", "version")).toBe("login");
    expect(await result("notes.do@preview-login", "list")).toEqual(["first <redacted>"]);
    // Production keeps its code and its data.
    expect(await result("notes.do", "version")).toBe("production");
    expect(await result("notes.do", "list")).toEqual(["first <ada@example.com>"]);
  });

  it("keeps the preview's writes its own, and production's later writes out of it", async () => {
    await result("notes.do@preview-login", "add", ["preview only", "p@example.com"]);
    await result("notes.do", "add", ["later", "l@example.com"]);
    expect(await result("notes.do", "list")).toEqual(["first <ada@example.com>", "later <l@example.com>"]);
    expect(await result("notes.do@preview-login", "list")).toEqual(["first <redacted>", "preview only <p@example.com>"]);
  });

  it("updates on a second push and keeps its state", async () => {
    await repo.commit("login change 2", { "notes.do.json": notes("login 2") });
    const push = await repo.git("push", "objects", "HEAD:refs/for/main/login");
    expect(push.code, push.stderr).toBe(0);
    expect(remoteLines(push).join("\n")).not.toContain("state forked");
    expect(await result("notes.do@preview-login", "version")).toBe("login 2");
    expect(await result("notes.do@preview-login", "list")).toEqual(["first <redacted>", "preview only <p@example.com>"]);
  });

  it("is listed with its age, last push and size of state, and resets to production's state now", async () => {
    const [listed] = (await previewsOf()).filter((p) => p.ref === "preview-login");
    expect(listed).toMatchObject({ id: "notes.do", source: "git", repo: "shop", gitRef: "refs/for/main/login", state: "fork", url: `${e2e.server.url}/notes.do@preview-login` });
    expect(listed!.stateBytes as number).toBeGreaterThan(0);
    expect(listed!.expiresAt as number).toBe((listed!.pushedAt as number) + 7 * 86_400_000);
    expect(listed!.createdAt as number).toBeLessThan(listed!.pushedAt as number);
    const reset = await management("/_/previews/notes.do@preview-login/reset", { method: "POST" });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(await result("notes.do@preview-login", "list")).toEqual(["first <redacted>", "later <redacted>"]);
  });

  it("refuses a fork over its bound with a clear line, and publishes nothing", async () => {
    await repo.commit("too big", { "notes.do.json": notes("big", { state: "fork", maxBytes: 1024 }) });
    const push = await repo.git("push", "objects", "HEAD:refs/for/main/big");
    expect(push.code).not.toBe(0);
    expect(remoteLines(push).join("\n")).toMatch(/^refs\/for\/main\/big: notes\.do: production's state is [\d.]+ KiB, over the 1\.0 KiB a preview may fork \(config\.preview\.maxBytes\)$/m);
    expect((await call("notes.do@preview-big", "version")).status).toBe(404);
    expect((await previewsOf()).some((p) => p.ref === "preview-big")).toBe(false);
    await repo.git("reset", "-q", "--hard", "HEAD~1");
  });

  it("is deleted with its state by git push objects :refs/for/<branch>/<topic>", async () => {
    const push = await repo.git("push", "objects", ":refs/for/main/login");
    expect(push.code, push.stderr).toBe(0);
    expect(remoteLines(push).join("\n")).toContain("deleted with its environment (1 object(s))");
    expect((await call("notes.do@preview-login", "list")).status).toBe(404);
    expect((await previewsOf()).some((p) => p.ref === "preview-login")).toBe(false);
    const events = await management("/_/objects/notes.do@preview-login/__calls");
    expect(events.body).toMatchObject({ environment: "preview-login", calls: [] });
  });

  it("refuses topics that cannot name a preview", async () => {
    const push = await repo.git("push", "objects", "HEAD:refs/for/main/Bad_Topic");
    expect(push.code).not.toBe(0);
    expect(remoteLines(push).join("\n")).toContain('topic Bad_Topic: a topic has 1–40 characters of a–z 0–9 and inner "-"');
  });
});

describe("the lifecycle of previews", () => {
  it("expires a preview after its ttl without a push (the clock passed in), and its git ref goes with it", async () => {
    await repo.commit("short-lived", { "notes.do.json": notes("short", { ttl: "1h" }) });
    expect((await repo.git("push", "objects", "HEAD:refs/for/main/short")).code).toBe(0);
    expect(await result("notes.do@preview-short", "version")).toBe("short");
    const early = await management("/_/previews/expire", { method: "POST", body: JSON.stringify({ now: new Date(Date.now() + 30 * 60_000).toISOString() }) });
    expect(early.body).toEqual({ expired: [] });
    const late = await management("/_/previews/expire", { method: "POST", body: JSON.stringify({ now: new Date(Date.now() + 61 * 60_000).toISOString() }) });
    expect(late.body).toEqual({ expired: [{ id: "notes.do", ref: "preview-short" }] });
    expect((await call("notes.do@preview-short", "version")).status).toBe(404);
    expect((await repo.git("ls-remote", "objects", "refs/for/*")).stdout).not.toContain("refs/for/main/short");
    await repo.git("reset", "-q", "--hard", "HEAD~1");
  });

  it("lets only a token of scope * expire previews", async () => {
    const narrow = await e2e.token("notes.do");
    const response = await fetch(`${e2e.server.url}/_/previews/expire`, { method: "POST", headers: { authorization: `Bearer ${narrow}` } });
    expect(response.status).toBe(403);
  });

  it("removes one preview object by address, and 404s an address that is no preview", async () => {
    await repo.commit("removable", { "notes.do.json": notes("removable", {}) });
    expect((await repo.git("push", "objects", "HEAD:refs/for/main/removable")).code).toBe(0);
    expect((await management("/_/previews/notes.do@preview-removable", { method: "DELETE" })).status).toBe(204);
    expect((await call("notes.do@preview-removable", "version")).status).toBe(404);
    expect((await management("/_/previews/notes.do@preview-removable", { method: "DELETE" })).status).toBe(404);
    expect((await management("/_/previews/notes.do@latest", { method: "DELETE" })).body).toMatchObject({ code: "preview-address-invalid" });
    await repo.git("reset", "-q", "--hard", "HEAD~1");
  });
});
