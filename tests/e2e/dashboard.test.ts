import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/chromium.ts";
import { startE2E, type E2E } from "../support/e2e.ts";
import { workingCopy, type WorkingCopy } from "../support/git.ts";

let e2e: E2E;
let browser: Browser;
let repo: WorkingCopy;
let first: string;
let second: string;
const problems: string[] = [];

const greeting = (text: string, extra = {}) => JSON.stringify({ api: { hello: `async (name) => \`${text} \${name}!\``, ...extra } });

beforeAll(async () => {
  [e2e, browser] = await Promise.all([startE2E(), launchChromium()]);
  repo = await workingCopy({ fixture: "acme", remote: `${e2e.server.url}/_/git/acme.git`, token: await e2e.token() });
  first = await repo.commit("first");
  expect((await repo.git("push", "objects", "main")).code).toBe(0);
  second = await repo.commit("Howdy, with a goodbye", { "hello.do.json": greeting("Howdy", { bye: "async () => 'bye'" }) });
  expect((await repo.git("push", "objects", "main")).code).toBe(0);
  const failing = await e2e.call("hello.do", "nope");
  expect(failing.status).toBe(404);
  // Calls reach the object's log in a batch about two seconds later.
  const token = await e2e.token();
  for (let i = 0; i < 50; i++) {
    const log = await (await fetch(`${e2e.server.url}/hello.do/__calls`, { headers: { authorization: `Bearer ${token}` } })).text();
    if (log.includes("nope")) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});
afterAll(async () => {
  await browser?.close();
  repo?.remove();
  await e2e?.stop();
});

async function signedIn(): Promise<Page> {
  const page = await browser.newPage();
  page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(`${e2e.server.url}/_/dashboard`);
  await page.getByLabel("Token").fill(await e2e.token());
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: /hello\.do/ }).waitFor();
  return page;
}

describe("the dashboard in a real browser (Chromium via playwright-core)", () => {
  it("refuses a bad token on the sign-in form", async () => {
    const page = await browser.newPage();
    await page.goto(`${e2e.server.url}/_/dashboard`);
    await page.getByLabel("Token").fill("not-a-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.locator("#sign-in-error").textContent()).toContain("The server refused the token");
    await page.close();
  });

  it("shows a pushed object: refs, history with provenance and contract diffs, recent errors", async () => {
    const page = await signedIn();
    await page.getByRole("button", { name: /hello\.do/ }).click();
    await page.locator("tr[data-seq]").first().waitFor();
    const rows = page.locator("tr[data-seq]");
    expect(await rows.count()).toBe(2);
    const newest = await rows.nth(0).innerText();
    expect(newest).toContain(`acme@${second.slice(0, 7)}`);
    expect(newest).toContain("Ada Lovelace");
    expect(newest).toContain("Howdy, with a goodbye");
    expect(newest).toContain("3 change(s), none breaking");
    expect(await rows.nth(1).innerText()).toContain(`acme@${first.slice(0, 7)}`);
    expect(await page.locator('tr[data-ref="latest"]').innerText()).toContain("production");
    expect(await page.locator("article").innerText()).toContain('has no method "nope"');
    await page.close();
  });

  it("rolls back with a click, and the older code is served at once", async () => {
    expect((await e2e.call("hello.do", "hello", ["Ada"])).body.result).toBe("Howdy Ada!");
    const page = await signedIn();
    await page.getByRole("button", { name: /hello\.do/ }).click();
    await page.getByRole("button", { name: "Roll back to #1" }).click();
    await expect.poll(() => page.locator("#notice").textContent()).toContain("Roll back to #1: latest is now");
    await expect.poll(() => page.locator("tr[data-seq]").count()).toBe(3);
    expect(await page.locator("tr[data-seq]").nth(0).innerText()).toContain("rollback to");
    expect((await e2e.call("hello.do", "hello", ["Ada"])).body.result).toBe("Hello Ada!");
    await page.close();
    expect(problems).toEqual([]);
  });

  it("shows hostile commit messages and errors as text, never as markup", async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    await repo.commit(hostile, { "hello.do.json": greeting("Hello", { boom: "async () => { throw new Error('<b onmouseover=alert(1)>x</b>') }" }) });
    expect((await repo.git("push", "objects", "main")).code).toBe(0);
    expect((await e2e.call("hello.do", "boom")).status).toBe(500);
    const page = await signedIn();
    await page.getByRole("button", { name: /hello\.do/ }).click();
    await page.locator("tr[data-seq]").first().waitFor();
    expect(await page.locator("tr[data-seq]").first().innerText()).toContain(hostile);
    expect(await page.locator("article img, article script, article b").count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.close();
    await repo.git("reset", "-q", "--hard", "HEAD~1");
    expect((await repo.git("push", "-f", "objects", "main")).code).toBe(0);
  });

  it("promotes a branch's version to production with a click", async () => {
    await repo.git("checkout", "-q", "-b", "feature");
    await repo.commit("feature greeting", { "hello.do.json": greeting("Hey") });
    expect((await repo.git("push", "objects", "feature")).code).toBe(0);
    await repo.git("checkout", "-q", "main");
    const page = await signedIn();
    await page.getByRole("button", { name: /hello\.do/ }).click();
    expect(await page.locator('tr[data-ref="heads/feature"]').innerText()).toContain("branch");
    await page.getByRole("button", { name: "Promote heads/feature" }).click();
    await expect.poll(() => page.locator("#notice").textContent()).toContain("Promote heads/feature: latest is now");
    expect((await e2e.call("hello.do", "hello", ["Ada"])).body.result).toBe("Hey Ada!");
    expect(await page.locator("tr[data-seq]").nth(0).innerText()).toContain("promote heads/feature");
    await page.close();
    expect(problems).toEqual([]);
  });
});

describe("a quarantined version on the dashboard", () => {
  it("shows what froze the runtime and releases it with a click", async () => {
    const token = await e2e.token();
    const headers = { authorization: `Bearer ${token}` };
    const hostile = { api: { go: "async () => new RegExp(['(a+)', '+$'].join('')).test('a'.repeat(40) + 'b')" } };
    expect((await fetch(`${e2e.server.url}/frozen.do`, { method: "PUT", headers, body: JSON.stringify(hostile) })).status).toBe(201);
    await fetch(`${e2e.server.url}/frozen.do/rpc`, { method: "POST", body: '{"method":"go"}' }).catch(() => null);
    const quarantined = async () => ((await (await fetch(`${e2e.server.url}/frozen.do/versions`, { headers }).catch(() => null))?.json().catch(() => ({}))) ?? {}) as { quarantined?: object };
    await expect.poll(async () => Object.keys((await quarantined()).quarantined ?? {}).length, { timeout: 20_000, interval: 250 }).toBe(1);
    const page = await signedIn();
    await page.getByRole("button", { name: /frozen\.do/ }).click();
    const section = page.locator("#quarantined");
    await section.waitFor();
    expect(await section.innerText()).toContain("it froze the local runtime (method go)");
    await section.getByRole("button", { name: "Release" }).click();
    await expect.poll(() => page.locator("#notice").textContent()).toContain("Released");
    await expect.poll(() => section.count()).toBe(0);
    expect((await quarantined()).quarantined).toBeUndefined();
    await page.close();
    expect(problems).toEqual([]);
  }, 60_000);
});
