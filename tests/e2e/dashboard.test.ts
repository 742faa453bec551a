import { mkdirSync } from "node:fs";
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

/** Screenshots are test artifacts (under .scratch/, never in git). */
const ARTIFACTS = new URL("../../.scratch/dashboard/", import.meta.url).pathname;

/** Every element of the page that reaches past the right edge of the pane (nav or article) holding it (run in the page). */
const OVERFLOWING = `(() => {
  const found = [...document.querySelectorAll("nav, article")].flatMap((pane) => {
    const edge = pane.getBoundingClientRect().right + 1;
    return [...pane.querySelectorAll("*")].filter((node) => node.getBoundingClientRect().right > edge)
      .map((node) => pane.tagName + " " + node.tagName + "." + node.className + " " + Math.round(node.getBoundingClientRect().right - edge) + "px: " + (node.textContent || "").slice(0, 60));
  });
  if (document.documentElement.scrollWidth > window.innerWidth) found.push("page " + document.documentElement.scrollWidth + " > " + window.innerWidth);
  return found;
})()`;
const overflowing = (page: Page) => page.evaluate<string[]>(OVERFLOWING);

async function signedIn(width = 1280): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("response", (response) => response.status() >= 400 && problems.push(`${response.status()} ${response.url()}`));
  await page.goto(`${e2e.server.url}/_/dashboard`);
  await page.getByLabel("Token").fill(await e2e.token());
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: /hello\.do/ }).waitFor();
  return page;
}

describe("the dashboard in a real browser (Chromium via playwright-core)", () => {
  it("refuses a bad token on the sign-in form, showing nothing of the signed-in page before", async () => {
    const page = await browser.newPage();
    await page.goto(`${e2e.server.url}/_/dashboard`);
    await page.getByLabel("Token").waitFor();
    expect(await page.locator("main").isVisible()).toBe(false);
    expect(await page.getByText("Choose an object.").isVisible()).toBe(false);
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
    // Dismissed: nothing moves.
    const asked: string[] = [];
    page.once("dialog", (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole("button", { name: "Roll back to #1" }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toMatch(/^Roll back to #1\? Production \(hello\.do@latest\) will serve #1 \([0-9a-f]{12}\) at once\.$/);
    expect((await e2e.call("hello.do", "hello", ["Ada"])).body.result).toBe("Howdy Ada!");
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Roll back to #1" }).click();
    await expect.poll(() => page.locator("#notice").textContent()).toContain("Roll back to #1: latest is now");
    await expect.poll(() => page.locator("tr[data-seq]").count()).toBe(3);
    expect(await page.locator("tr[data-seq]").nth(0).innerText()).toContain("rollback to");
    // One live mark, though #1 and #3 serve the same hash; the rollback's message shows its hash shortened.
    expect(await page.locator(".live").count()).toBe(1);
    expect(await page.locator("tr[data-seq]").nth(0).locator(".live").count()).toBe(1);
    expect(await page.locator("tr[data-seq]").nth(0).innerText()).not.toMatch(/[0-9a-f]{40}/);
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
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Promote heads/feature" }).click();
    await expect.poll(() => page.locator("#notice").textContent()).toContain("Promote heads/feature: latest is now");
    expect((await e2e.call("hello.do", "hello", ["Ada"])).body.result).toBe("Hey Ada!");
    expect(await page.locator("tr[data-seq]").nth(0).innerText()).toContain("promote heads/feature");
    await page.close();
    expect(problems).toEqual([]);
  });
});

describe("previews in the dashboard", () => {
  it("lists an object's previews, resets one to production and deletes one, each after a confirmation", async () => {
    expect((await repo.git("push", "objects", "HEAD:refs/for/main/dash")).code).toBe(0);
    const page = await signedIn();
    await page.getByRole("button", { name: /hello\.do/ }).click();
    const row = page.locator('tr[data-preview="preview-dash"]');
    await row.waitFor();
    expect(await row.innerText()).toMatch(/preview-dash\s+refs\/for\/main\/dash\s+\d+s\s+\d+s ago\s+in 6d\s+empty · [\d.]+ KiB/);
    expect(await page.locator('tr[data-ref="preview-dash"]').innerText()).toContain("preview");
    page.once("dialog", (dialog) => void dialog.accept());
    await row.getByRole("button", { name: "Reset to production" }).click();
    await expect.poll(() => page.locator("#notice").textContent()).toBe("hello.do@preview-dash: state emptied");
    const asked: string[] = [];
    page.once("dialog", (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.locator('tr[data-preview="preview-dash"]').getByRole("button", { name: "Delete" }).click();
    expect(asked).toEqual(["Delete hello.do@preview-dash and its data?"]);
    expect((await e2e.call("hello.do@preview-dash", "hello", ["Ada"])).status).toBe(200);
    page.once("dialog", (dialog) => void dialog.accept());
    await page.locator('tr[data-preview="preview-dash"]').getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => page.locator("#notice").textContent()).toBe("hello.do@preview-dash deleted with its state");
    await page.locator("#no-previews").waitFor();
    expect((await e2e.call("hello.do@preview-dash", "hello", ["Ada"])).status).toBe(404);
    await page.close();
    expect(problems).toEqual([]);
  });
});

describe("the dashboard's layout and charts", () => {
  it("fits every pane from 1024 to 1600 px, after a rollback's long message, and offers a site only where pages exist", async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const width of [1024, 1280, 1600]) {
      const page = await signedIn(width);
      await page.getByRole("button", { name: /hello\.do/ }).click();
      await page.locator("tr[data-seq]").first().waitFor();
      await page.locator("#charts").waitFor();
      expect(await overflowing(page), `at ${width} px`).toEqual([]);
      await page.screenshot({ path: `${ARTIFACTS}hello-${width}.png`, fullPage: true });
      expect(await page.getByRole("link", { name: "open site" }).count()).toBe(0);
      await page.getByRole("button", { name: /crm\.acme\.com/ }).click();
      await page.getByRole("link", { name: "open site" }).waitFor();
      expect(await overflowing(page), `crm at ${width} px`).toEqual([]);
      await page.close();
    }
  });

  it("draws the last hour's calls and errors from the call log", async () => {
    for (let i = 0; i < 6; i++) expect((await e2e.call("hello.do", "hello", [`n${i}`])).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await e2e.call("hello.do", "missing")).status).toBe(404);
    const token = await e2e.token();
    // The call log is written in batches: wait until every call above is in it.
    await expect.poll(async () => ((await (await fetch(`${e2e.server.url}/hello.do/__calls?limit=1000`, { headers: { authorization: `Bearer ${token}` } })).json()) as { calls: Array<{ method: string }> }).calls.filter((c) => c.method === "missing").length, { timeout: 10_000 }).toBe(2);
    const page = await signedIn();
    await page.getByRole("button", { name: /hello\.do/ }).click();
    const charts = page.locator("#charts");
    await charts.locator("svg").first().waitFor();
    expect(Number(await charts.getAttribute("data-calls"))).toBeGreaterThanOrEqual(8);
    expect(Number(await charts.getAttribute("data-errors"))).toBeGreaterThanOrEqual(3);
    const bars = await charts.locator("rect[data-calls]").evaluateAll((rects) => rects.reduce((sum, rect) => sum + Number(rect.getAttribute("data-calls")), 0));
    expect(bars).toBe(Number(await charts.getAttribute("data-calls")));
    expect(await charts.locator("rect.errors").count()).toBeGreaterThan(0);
    expect(await charts.locator('polyline[data-ref="latest"][data-quantile="p99"]').count()).toBe(1);
    expect(await charts.innerText()).toContain("@latest");
    await charts.screenshot({ path: `${ARTIFACTS}charts.png` });
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

describe("a rollout on the dashboard", () => {
  it("charts both versions through the steps, shows when each version was last called, and aborts with a click", async () => {
    const headers = { authorization: `Bearer ${await e2e.token()}` };
    const put = (body: object) => fetch(`${e2e.server.url}/rolling.do`, { method: "PUT", headers, body: JSON.stringify(body) });
    expect((await put({ $version: "1.0.0", api: { which: "async () => 1" } })).status).toBe(201);
    expect((await put({ $version: "2.0.0", api: { which: "async () => 2" }, config: { rollout: { steps: [50, 100], interval: "1h" } } })).status).toBe(201);
    const sides = new Set<unknown>();
    for (let i = 0; i < 40; i++) {
      const response = await fetch(`${e2e.server.url}/rolling.do/rpc`, { method: "POST", headers: { "objects-caller": `user-${i}` }, body: '{"method":"which"}' });
      sides.add(((await response.json()) as { result: unknown }).result);
    }
    expect(sides).toEqual(new Set([1, 2]));
    const status = async () => (await (await fetch(`${e2e.server.url}/rolling.do/rollout`, { headers })).json()) as { series: Array<{ arm: string; calls: number }> };
    await expect.poll(async () => (await status()).series.reduce((sum, point) => sum + point.calls, 0), { timeout: 10_000 }).toBe(40);

    const page = await signedIn(1024);
    await page.getByRole("button", { name: /rolling\.do/ }).click();
    const section = page.locator("#rollout");
    await section.waitFor();
    expect(await section.getAttribute("data-status")).toBe("progressing");
    expect(await section.getAttribute("data-weight")).toBe("50");
    const chart = page.locator("#rollout-chart");
    const [stable, canary] = [Number(await chart.getAttribute("data-stable-calls")), Number(await chart.getAttribute("data-canary-calls"))];
    expect(stable + canary).toBe(40);
    expect(canary).toBeGreaterThan(0);
    for (const band of ["requests/s", "error rate", "p99"]) expect(await chart.locator(`polyline[data-band="${band}"][data-arm="canary"]`).count()).toBe(1);
    expect(await page.locator('tr[data-version="1.0.0"] .last-called').innerText()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d/);
    expect(await overflowing(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}rollout.png`, fullPage: true });

    page.once("dialog", (dialog) => void dialog.accept());
    await section.getByRole("button", { name: "Abort" }).click();
    await expect.poll(() => page.locator("#notice").textContent()).toBe("rolling.do: rollout aborted");
    await expect.poll(() => page.locator("#rollout").getAttribute("data-status")).toBe("aborted");
    for (let i = 0; i < 10; i++) expect(((await (await fetch(`${e2e.server.url}/rolling.do/rpc`, { method: "POST", headers: { "objects-caller": `user-${i}` }, body: '{"method":"which"}' })).json()) as { result: unknown }).result).toBe(1);
    await page.close();
    expect(problems).toEqual([]);
  }, 60_000);
});
