import { beforeAll, describe, expect, it } from "vitest";
import { problem } from "../support/http.ts";
import { api, token, unique } from "../support/worker-client.ts";

const site = {
  api: {
    stats: { current: "async () => ({ customers: await $.db.Customer.list().then((all) => all.length) })" },
    addCustomer: "async (name) => $.db.Customer.create({ name })",
    names: "async () => (await $.db.Customer.list()).map((c) => c.name).join(', ')",
  },
  components: {
    Greeting: "async ({ name, children }) => `**Hello ${name}!** ${children}`",
    Broken: "async () => { throw new Error('chart data missing') }",
  },
  site: {
    "/": [
      "# Acme CRM",
      "",
      '<Hero title="Customers, sorted" subtitle="The CRM that stays out of the way" cta="See pricing" href="/pricing" />',
      "",
      "We have {(await $.db.Customer.list()).length} customers: {await $.api?.names?.() ?? 'see below'}.",
      "",
      "Sum: {1 + 2}. Query: {page.query.q ?? 'none'}.",
      "",
      "Names: {(await $.db.Customer.list()).map((c) => c.name).join(', ')}",
      "",
      "<Greeting name={'Ada'}>from the definition</Greeting>",
      "",
      "<Broken />",
      "",
      "<Sparkles />",
      "",
      "[Pricing](/pricing) · [bad](javascript:alert(1)) · <a href=\"javascript:alert(2)\" onclick=\"alert(3)\">x</a>",
      "",
      "{eval('1 + 1')}",
    ].join("\n"),
    "/pricing": [
      "# Pricing",
      "",
      "<PricingTable plans={[{ name: 'Free', price: '$0', features: ['1 seat'] }, { name: 'Pro', price: '$20', features: ['10 seats', 'SSO'] }]} />",
      "",
      '<Callout type="tip">Annual plans get two months free.</Callout>',
    ].join("\n"),
    "/docs": "# Docs\n\n<DocsNav />",
    "/docs/intro": "# Introduction",
    // Only `$.db`: its facet answers it with no host crossing (WorkerModules.pages.hostless).
    "/count": "# Count\n\n{(await $.db.Customer.list()).length} customers, the first {(await $.db.Customer.list())[0]?.name === 'Grace' ? 'Grace' : 'not Grace'}.",
  },
};

const html = async (path: string, init?: RequestInit) => {
  const response = await api.fetch(path, { headers: { accept: "text/html" }, ...init });
  return { status: response.status, headers: response.headers, text: await response.text() };
};

describe("site pages", () => {
  let id: string;
  beforeAll(async () => {
    id = unique("site");
    expect((await api.put(id, site, token)).status).toBe(201);
    await api.result(id, "addCustomer", ["<script>alert('pwned')</script>"]);
    await api.result(id, "addCustomer", ["Grace"]);
  });

  it("renders a page as an HTML document: title, navigation between pages, links under the object's path", async () => {
    const page = await html(`/${id}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.text).toMatch(/^<!doctype html>/);
    expect(page.text).toContain(`<title>Acme CRM · ${id}</title>`);
    expect(page.text).toContain(`<a href="/${id}@latest/pricing">Pricing</a>`);
    expect(page.text).toContain(`<a href="/${id}@latest/docs">Docs</a>`);
  });

  it("evaluates expressions in the sandbox, with the object's state and the page's query", async () => {
    const page = await html(`/${id}?q=hello`);
    expect(page.text).toContain("We have 2 customers");
    expect(page.text).toContain("Sum: 3. Query: hello.");
  });

  it("evaluates a page naming only $.db in the object's facet, with its state", async () => {
    const page = await html(`/${id}@latest/count`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("2 customers, the first not Grace.");
  });

  it("escapes data: a script stored in the database renders as text", async () => {
    const page = await html(`/${id}`);
    expect(page.text).toContain("Names: &#x3C;script>alert('pwned')&#x3C;/script>, Grace");
    expect(page.text).not.toMatch(/<script/i);
  });

  it("strips javascript: links and event handlers, and forbids scripts through the content security policy", async () => {
    const page = await html(`/${id}`);
    expect(page.text).not.toContain("javascript:");
    expect(page.text).not.toContain("onclick");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("renders built-in components, definition components, and placeholders for failing or unknown ones", async () => {
    const home = await html(`/${id}`);
    expect(home.text).toContain('<section class="od-hero"><h1>Customers, sorted</h1><p class="od-lead">The CRM that stays out of the way</p>');
    expect(home.text).toContain(`<a href="/${id}@latest/pricing" class="od-button">See pricing</a>`);
    expect(home.text).toContain("<strong>Hello Ada!</strong> from the definition");
    expect(home.text).toMatch(/<div class="od-placeholder"><strong>&#x3C;Broken><\/strong> failed: chart data missing<\/div>/);
    expect(home.text).toMatch(/<strong>&#x3C;Sparkles><\/strong> is not a component of this site/);
    const pricing = await html(`/${id}@latest/pricing`);
    expect(pricing.text).toContain('<h3>Pro</h3><p class="od-price">$20</p><ul><li>10 seats</li><li>SSO</li></ul>');
    expect(pricing.text).toContain('<div class="od-callout od-tip">');
    expect((await html(`/${id}@latest/docs`)).text).toContain(`<li><a href="/${id}@latest/docs/intro">/docs/intro</a></li>`);
  });

  it("shows an expression's failure in place (eval is unavailable in the sandbox) and still renders the page", async () => {
    const page = await html(`/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<span class="od-error">⚠ [^<]*(eval|Code generation)[^<]*<\/span>/i);
  });

  it("answers unknown pages with an HTML 404 page for browsers and a problem for API clients", async () => {
    const page = await html(`/${id}@latest/nope`);
    expect(page.status).toBe(404);
    expect(page.text).toContain("<h1>Page not found</h1>");
    expect((await problem(await api.fetch(`/${id}@latest/nope`), 404)).code).toBe("page-not-found");
  });

  it("serves a static page from one rendering per version", async () => {
    const [a, b] = await Promise.all([html(`/${id}@latest/docs/intro`), html(`/${id}@latest/docs/intro`)]);
    expect(a.text).toBe(b.text);
    expect(a.headers.get("x-objects-hash")).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("pages at publish", () => {
  it("rejects a page that does not parse, at its line and column, and keeps the last good version", async () => {
    const id = unique("badpage");
    expect((await api.put(id, { site: { "/": "# Good" } }, token)).status).toBe(201);
    const body = await problem(await api.put(id, { site: { "/": "# Title\n\nText {1 +} more" } }, token), 422);
    expect(body.errors).toContainEqual(expect.objectContaining({ path: "/site/~1", code: "page-syntax", line: 3 }));
    expect((await html(`/${id}`)).text).toContain("<h1>Good</h1>");
  });

  it("rejects import() in a page expression", async () => {
    const body = await problem(await api.put(unique("badpage"), { site: { "/docs": "# Docs\n\n{await import('node:fs')}" } }, token), 422);
    expect(body.errors).toContainEqual(expect.objectContaining({ path: "/site/~1docs", code: "import-not-allowed", line: 3 }));
  });
});
