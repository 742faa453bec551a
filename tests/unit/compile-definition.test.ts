import { describe, expect, it } from "vitest";
import { invalid, parseJsonText, problemOf } from "../../core/index.ts";
import { compileDefinition } from "../../definitions/index.ts";
import { ProblemSchema, type Issue } from "../../schemas/index.ts";

const compile = (raw: unknown, id = "crm.acme.com") => compileDefinition(raw, { id });
const issuesOf = (raw: unknown) => {
  const result = compile(raw);
  if (result.ok) throw new Error("expected issues");
  return result.issues;
};
const brief = (issues: Issue[]) => issues.map(({ path, code }) => `${path} ${code}`);

const seedExample = {
  $id: "crm.acme.com",
  $type: "SaaS",
  api: {
    ping: "async () => 'pong'",
    customers: {
      list: "async () => $.db.Customer.list()",
      get: "async (id) => $.db.Customer.get(id)",
      create: "async (data) => {\n const customer = await $.db.Customer.create(data)\n await $.email`Welcome ${data.name} to ${data.email}`\n return customer\n }",
    },
    billing: { subscribe: { code: "async (plan) => plan", params: ["plan"], returns: "Subscription" } },
  },
  events: { "Customer.created": "async (customer) => { await $.slack`#sales New customer: ${customer.name}` }", "stripe.payment_failed": "async (e) => e" },
  schedules: { "every.day.at9am": "async () => {}" },
  site: { "/": "# Acme CRM\n\n<PricingTable />", "/pricing": "# Pricing" },
  app: { "/dashboard": "<Dashboard />" },
  agent: { model: "fast", systemPrompt: "You sell CRM.", tools: ["customers.create"], voice: { provider: "eleven", voiceId: "v1" } },
  config: { plan: "pro" },
};

describe("compileDefinition accepts", () => {
  it.each([
    ["the seed's full SaaS example", seedExample],
    ["an empty definition", {}],
    ["a site given as one string", { site: "# Home" }],
    ["a $version and $schema", { $version: "1.2.0", $schema: "https://objects.do/schema.json" }],
    ["a commit sha as $version", { $version: "3f9c2ab" }],
    ["namespaces eight levels deep", { api: { a: { b: { c: { d: { e: { f: { g: { h: { m: "() => 1" } } } } } } } } } }],
    ["a method named code inside a namespace", { api: { ns: { code: "() => 1", other: "() => 2" } } }],
    ["function expressions of every form", { api: { a: "function () { return 1 }", b: "async function named(x) { return x }", c: "x => x", d: "(async (a, b) => a + b)" } }],
  ])("%s", (_, raw) => {
    expect(compile(raw).ok).toBe(true);
  });

  it("normalizes: the id set from the URL, $schema dropped, site string → { '/': … }", () => {
    const result = compile({ $schema: "x", site: "# Home", api: { ping: "() => 1" } }, "my-app.do");
    expect(result).toEqual({ ok: true, definition: { $id: "my-app.do", site: { "/": "# Home" }, api: { ping: "() => 1" } }, warnings: [] });
  });
});

describe("compileDefinition refuses, listing every issue", () => {
  it.each<[string, unknown, string[]]>([
    ["unknown top-level keys", { name: "x", api: {}, foo: 1 }, ["/foo unknown-key", "/name unknown-key"]],
    ["a method name that is not an identifier", { api: { "1st": "() => 1", "a-b": "() => 2" } }, ["/api/1st invalid-key", "/api/a-b invalid-key"]],
    ["a source that does not parse", { api: { broken: "async () => {" } }, ["/api/broken syntax-error"]],
    ["a source that is not a function", { api: { value: "42", call: "(() => 1)()" } }, ["/api/call not-a-function", "/api/value not-a-function"]],
    ["a source that breaks out of its expression", { api: { x: "() => 1); globalThis.evil = (1" } }, ["/api/x not-a-function"]],
    ["import() in a source", { api: { x: "async () => import('node:fs')" } }, ["/api/x import-not-allowed"]],
    ["an identifier the runtime reserves", { api: { x: "() => { const __od_guard = () => {}; while (true) {} }" } }, ["/api/x reserved-identifier"]],
    ["a method value of the wrong type", { api: { n: 5, arr: ["() => 1"] } }, ["/api/arr invalid-type", "/api/n invalid-type"]],
    ["a method spec with a bad field", { api: { m: { code: "() => 1", params: "a" } } }, ["/api/m/params invalid-type"]],
    ["namespaces nine levels deep", { api: { a: { b: { c: { d: { e: { f: { g: { h: { i: { m: "() => 1" } } } } } } } } } } }, ["/api/a/b/c/d/e/f/g/h/i namespace-too-deep"]],
    ["a bad event pattern", { events: { "Customer created": "() => 1" } }, ["/events/Customer created invalid-key"]],
    ["a bad agent model and a missing prompt", { agent: { model: "huge" } }, ["/agent/model invalid-value", "/agent/systemPrompt missing"]],
    ["a page path without a slash", { site: { pricing: "# P" } }, ["/site/pricing invalid-key"]],
    ["a $id other than the URL's", { $id: "other.do" }, ["/$id id-mismatch"]],
    ["a $version that is not semver", { $version: "one" }, ["/$version version-invalid"]],
    ["a non-object", [1, 2], [" invalid-type"]],
  ])("%s", (_, raw, expected) => {
    expect(brief(issuesOf(raw)).map((line) => line.trim())).toEqual(expected.map((line) => line.trim()));
  });

  it("reports a syntax error at its line and column inside the source", () => {
    const [issue] = issuesOf({ api: { x: "async (a) => {\n  const b = a +;\n  return b\n}" } });
    expect(issue).toMatchObject({ path: "/api/x", code: "syntax-error", line: 2, column: 16 });
  });

  it("reports an unclosed body at the end of the source, never past it", () => {
    const [issue] = issuesOf({ api: { x: "async (a) => {\n  return a" } });
    expect(issue).toMatchObject({ path: "/api/x", code: "syntax-error", line: 2, column: 11 });
  });

  it("collects issues from every part of a definition at once, in a stable order", () => {
    const raw = { bogus: true, api: { "9": "() => 1", ok: "nope nope" }, agent: {}, $id: "other.do" };
    const first = brief(issuesOf(raw));
    expect(first).toEqual(["/$id id-mismatch", "/agent/systemPrompt missing", "/api/9 invalid-key", "/api/ok syntax-error", "/bogus unknown-key"]);
    expect(brief(issuesOf(JSON.parse(JSON.stringify(raw))))).toEqual(first);
  });

  it("turns issues into a problem body that matches the problem schema", () => {
    const problem = problemOf(invalid(issuesOf({ foo: 1 })));
    expect(ProblemSchema.parse(problem)).toMatchObject({ status: 422, code: "definition-invalid", errors: [{ path: "/foo", code: "unknown-key" }] });
  });
});

describe("prototype keys (D3, D4)", () => {
  it.each([
    ['{"__proto__": {"polluted": true}}', "/__proto__"],
    ['{"config": {"__proto__": {"polluted": true}}}', "/config/__proto__"],
    ['{"api": {"constructor": "() => 1"}}', "/api/constructor"],
    ['{"constructor": {"prototype": {"isAdmin": true}}}', "/constructor"],
    ['{"config": {"a": [{"prototype": 1}]}}', "/config/a/0/prototype"],
  ])("refuses %s without polluting Object.prototype", (text, path) => {
    const issues = issuesOf(parseJsonText(text, "body"));
    expect(issues.filter((issue) => issue.code === "forbidden-key").map((issue) => issue.path)).toEqual([path]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});

describe("parseJsonText (D6)", () => {
  it.each([10_000, 1_000_000])("refuses %i levels of nesting with max-depth before parsing", (depth) => {
    const text = "[".repeat(depth) + "]".repeat(depth);
    expect(() => parseJsonText(text, "the body")).toThrowError(expect.objectContaining({ code: "max-depth", status: 422 }));
    const objects = '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
    expect(() => parseJsonText(objects, "the body")).toThrowError(expect.objectContaining({ code: "max-depth" }));
  });

  it("does not count brackets inside strings", () => {
    expect(parseJsonText(JSON.stringify({ s: "[[[[".repeat(100) }), "x")).toEqual({ s: "[[[[".repeat(100) });
  });

  it("answers 400 json-invalid for malformed JSON", () => {
    expect(() => parseJsonText("{nope", "the body")).toThrowError(expect.objectContaining({ code: "json-invalid", status: 400 }));
  });
});
