// Previews without GitHub, end to end with the real git CLI: `git push objects HEAD:refs/for/<branch>/<topic>`
// publishes a preview; a forked one starts with production's state (redacted), keeps its writes, resets, expires,
// is listed and removed; a protected one opens with a token or a share link; events reach the preview's objects.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";
import { remoteLines, workingCopy, type WorkingCopy } from "../support/git.ts";
import { cli } from "../support/cli.ts";
import { join } from "node:path";

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
/** A call with the admin token: forked previews answer only tokens that cover their object (or share links). */
const result = async (path: string, method: string, params: unknown[] = []) => {
  const answer = await call(path, method, params, { authorization: `Bearer ${admin}` });
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
    // It holds a copy of production's data: protected unless its config says protect: false.
    expect(await call("notes.do@preview-login", "list")).toMatchObject({ status: 401, body: { code: "preview-protected" } });
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

  it("lists, resets and removes previews from the CLI, and 404s an address that is no preview", async () => {
    const objects = cli(join(e2e.stateDir, "cli-config.json"), e2e.server.url);
    const env = { env: { OBJECTS_TOKEN: admin } };
    await repo.commit("removable", { "notes.do.json": notes("removable", { state: "fork" }) });
    expect((await repo.git("push", "objects", "HEAD:refs/for/main/removable")).code).toBe(0);
    const listed = await objects.run(["previews", "--json"], env);
    expect(listed.code, listed.stderr).toBe(0);
    const entry = (JSON.parse(listed.stdout) as { previews: Array<Record<string, unknown>> }).previews.find((p) => p.ref === "preview-removable");
    expect(entry).toMatchObject({ id: "notes.do", state: "fork", gitRef: "refs/for/main/removable" });
    const human = await objects.run(["previews"], env);
    expect(human.stdout).toMatch(/^preview\s+from\s+age\s+last push\s+expires\s+state\s+size$/m);
    expect(human.stdout).toMatch(/^notes\.do@preview-removable\s+refs\/for\/main\/removable\s+\d+s\s+\d+s ago\s+in 6d\s+fork\s+[\d.]+ KiB$/m);
    await result("notes.do@preview-removable", "add", ["scratch", "s@example.com"]);
    const reset = await objects.run(["previews", "reset", "notes.do@preview-removable"], env);
    expect(reset.stdout).toMatch(/^notes\.do@preview-removable: state forked from production: [\d.]+ KiB in \d+ ms, then redacted by preview\.redact$/m);
    expect(await result("notes.do@preview-removable", "list")).toEqual(["first <redacted>", "later <redacted>"]);
    const removed = await objects.run(["previews", "rm", "notes.do@preview-removable"], env);
    expect(removed).toMatchObject({ code: 0, stdout: "notes.do@preview-removable: deleted with its state\n" });
    expect((await call("notes.do@preview-removable", "version")).status).toBe(404);
    expect((await objects.run(["previews", "rm", "notes.do@preview-removable"], env)).code).toBe(4);
    expect((await management("/_/previews/notes.do@latest", { method: "DELETE" })).body).toMatchObject({ code: "preview-address-invalid" });
    await repo.git("reset", "-q", "--hard", "HEAD~1");
  });
});

describe("protected previews", () => {
  const guarded = JSON.stringify({ api: { hi: "async () => 'hi'" }, site: { "/": "# Guarded preview" }, config: { preview: { protect: true } } });

  beforeAll(async () => {
    await repo.commit("guarded", { "guarded.do.json": guarded });
    expect((await repo.git("push", "objects", "main")).code).toBe(0);
    expect((await repo.git("push", "objects", "HEAD:refs/for/main/guard")).code).toBe(0);
  });

  it("answers a token that covers the object, and refuses none or another object's", async () => {
    expect(await result("guarded.do", "hi")).toBe("hi");
    const none = await call("guarded.do@preview-guard", "hi");
    expect(none).toMatchObject({ status: 401, body: { code: "preview-protected" } });
    const other = await call("guarded.do@preview-guard", "hi", [], { authorization: `Bearer ${await e2e.token("notes.do")}` });
    expect(other.status).toBe(401);
    const covering = await call("guarded.do@preview-guard", "hi", [], { authorization: `Bearer ${await e2e.token("guarded.do")}` });
    expect(covering).toMatchObject({ status: 200, body: { result: "hi" } });
  });

  it("opens with its share link: a cookie for the preview's path, then the page without the token in the URL", async () => {
    const shared = await management("/_/previews/guarded.do@preview-guard/share", { method: "POST", body: JSON.stringify({ ttl: "1h" }) });
    expect(shared.status).toBe(201);
    const { url, expiresAt } = shared.body as { url: string; expiresAt: string };
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(59 * 60_000);
    const opened = await fetch(url, { redirect: "manual", headers: { accept: "text/html" } });
    expect(opened.status).toBe(303);
    expect(opened.headers.get("location")).toBe(`${e2e.server.url}/guarded.do@preview-guard/`);
    const cookie = opened.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^objects-share=[\w.-]+; Path=\/guarded\.do@preview-guard; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    const page = await fetch(opened.headers.get("location")!, { headers: { accept: "text/html", cookie: cookie.split(";")[0]! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Guarded preview");
    expect((await fetch(`${e2e.server.url}/guarded.do@preview-guard/`, { headers: { accept: "text/html" } })).status).toBe(401);
    // The token works as a query parameter for API clients too, and for this preview only.
    const token = new URL(url).searchParams.get("objects-share")!;
    expect((await fetch(`${e2e.server.url}/guarded.do@preview-guard/rpc?objects-share=${token}`, { method: "POST", body: JSON.stringify({ method: "hi" }) })).status).toBe(200);
    expect((await repo.git("push", "objects", "HEAD:refs/for/main/guard2")).code).toBe(0);
    const elsewhere = await fetch(`${e2e.server.url}/guarded.do@preview-guard2/rpc?objects-share=${token}`, { method: "POST", body: JSON.stringify({ method: "hi" }) });
    expect(elsewhere.status).toBe(401);
  });

  it("refuses a share token that expired or was signed with another key", async () => {
    const { SignJWT } = await import("jose");
    const sign = (secret: string, exp: number) =>
      new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject("guarded.do@preview-guard").setAudience("objects.do/preview-share").setExpirationTime(exp).sign(new TextEncoder().encode(secret));
    const secret = (await import("node:fs")).readFileSync(new URL("../../.dev.vars", import.meta.url), "utf8").match(/^SESSION_SECRET=(.*)$/m)![1]!;
    for (const token of [await sign(secret, Math.floor(Date.now() / 1000) - 60), await sign("another key of thirty-two bytes!", Math.floor(Date.now() / 1000) + 600)]) {
      const answer = await fetch(`${e2e.server.url}/guarded.do@preview-guard/rpc?objects-share=${token}`, { method: "POST", body: JSON.stringify({ method: "hi" }) });
      expect(answer.status).toBe(401);
    }
    // A valid one, for contrast: the refusals above are about the tokens.
    const valid = await sign(secret, Math.floor(Date.now() / 1000) + 600);
    expect((await fetch(`${e2e.server.url}/guarded.do@preview-guard/rpc?objects-share=${valid}`, { method: "POST", body: JSON.stringify({ method: "hi" }) })).status).toBe(200);
  });
});

describe("whole-system previews", () => {
  // orders.do → shop.do (both in the repository) → hq.do (published by PUT, so no commit changes it).
  const shop = (label: string) =>
    JSON.stringify({
      $context: "hq.do",
      api: { seen: "async () => (await $.db.Seen.list()).map((s) => `${s.by}:${s.order}`).sort()" },
      events: { "Order.placed": `async (order) => { await $.db.Seen.create({ by: ${JSON.stringify(label)}, order: order.id }); }` },
      schedules: { "every.hour": `async () => { await $.db.Seen.create({ by: ${JSON.stringify(`${label} schedule`)}, order: 0 }); }` },
    });
  const orders = JSON.stringify({ $context: "shop.do", api: { place: "async (id) => { await $.emit('Order.placed', { id }); return id; }" } });

  beforeAll(async () => {
    const hq = { api: { seen: "async () => (await $.db.Seen.list()).map((s) => s.order)" }, events: { "Order.placed": "async (order) => { await $.db.Seen.create({ order: order.id }); }" } };
    expect((await management("/hq.do", { method: "PUT", body: JSON.stringify(hq) })).status).toBe(201);
    await repo.commit("shop", { "shop.do.json": shop("production"), "orders.do.json": orders });
    expect((await repo.git("push", "objects", "main")).code).toBe(0);
    await repo.commit("shop preview", { "shop.do.json": shop("preview") });
    const push = await repo.git("push", "objects", "HEAD:refs/for/main/sys");
    expect(push.code, push.stderr).toBe(0);
  });

  it("delivers an event of A@preview to B@preview, and to an object no commit changed at its production version on the preview's state", async () => {
    expect(await result("orders.do@preview-sys", "place", [7])).toBe(7);
    await expect.poll(() => result("shop.do@preview-sys", "seen")).toEqual(["preview:7"]);
    expect(await result("shop.do", "seen")).toEqual([]);
    // hq.do runs its production code in the preview's environment: production's hq.do is never written.
    await expect.poll(async () => ((await management("/_/objects/hq.do@preview-sys/__events")).body as { events: Array<{ status: string; handler: string | null }> }).events.map((e) => `${e.handler}:${e.status}`)).toContain("Order.placed:ok");
    expect(await result("hq.do", "seen")).toEqual([]);
    await result("orders.do", "place", [8]);
    await expect.poll(() => result("shop.do", "seen")).toEqual(["production:8"]);
    expect(await result("shop.do@preview-sys", "seen")).toEqual(["preview:7"]);
  });

  it("runs a preview's schedule only when asked", async () => {
    const runs = await management("/_/objects/shop.do@preview-sys/__schedules");
    expect(runs.body).toMatchObject({ environment: "preview-sys", schedules: [], runs: [] });
    const ran = await fetch(`${e2e.server.url}/shop.do@preview-sys/__schedules/run?pattern=every.hour`, { method: "POST", headers: { authorization: `Bearer ${admin}` } });
    expect(ran.status).toBe(200);
    expect(await result("shop.do@preview-sys", "seen")).toEqual(["preview schedule:0", "preview:7"]);
    expect(await result("shop.do", "seen")).toEqual(["production:8"]);
    const missing = await fetch(`${e2e.server.url}/shop.do@preview-sys/__schedules/run?pattern=every.day`, { method: "POST", headers: { authorization: `Bearer ${admin}` } });
    expect(missing.status).toBe(404);
    const after = await management("/_/objects/shop.do@preview-sys/__schedules");
    expect((after.body as { runs: Array<{ pattern: string; ok: number }> }).runs).toMatchObject([{ pattern: "every.hour", ok: 1 }]);
  });
});

describe("deleting an object", () => {
  it("deletes its previews' state and rows too", async () => {
    await repo.commit("scratch", { "scratch.do.json": JSON.stringify({ api: { note: "async (text) => $.db.Note.create({ text })" } }) });
    expect((await repo.git("push", "objects", "main")).code).toBe(0);
    expect((await repo.git("push", "objects", "HEAD:refs/for/main/scratchy")).code).toBe(0);
    await result("scratch.do@preview-scratchy", "note", ["kept in the preview"]);
    const calls = async () => ((await management("/_/objects/scratch.do@preview-scratchy/__calls")).body as { calls: unknown[] }).calls.length;
    await expect.poll(calls, { timeout: 5000 }).toBeGreaterThan(0);
    expect((await previewsOf()).some((p) => p.id === "scratch.do")).toBe(true);
    expect((await management("/scratch.do", { method: "DELETE" })).status).toBe(204);
    expect(await calls()).toBe(0);
    expect((await previewsOf()).some((p) => p.id === "scratch.do")).toBe(false);
  });
});
