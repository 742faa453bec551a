import { parse } from "acorn";
import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../registry/index.ts";
import { buildWorkerModules, instrumentSource, loaderId, RUNTIME_VERSION } from "../../runtime/index.ts";

const parsesAsModule = (text: string) => parse(text, { ecmaVersion: "latest", sourceType: "module" });
const count = (text: string, part: string) => text.split(part).length - 1;

describe("instrumentSource", () => {
  it.each([
    ["async (name) => `Hello ${name}!`", 1],
    ["function () { while (true) {} }", 2],
    ["() => { for (;;) for (;;) x; }", 3],
    ["async () => { while (1) f = () => x }", 3],
    ["(a) => { do a++; while (a < 3); for (const k in a) {} for (const v of a) v; return a }", 4],
    ["() => ({ a: 1, get b() { return 2 }, c() { return 3 } })", 3],
    ["() => { class A { m() { while (1) {} } } }", 3],
  ])("puts a guard at every function entry and loop body: %s", (source, guards) => {
    const { code } = instrumentSource(source);
    expect(count(code, "__od_guard()")).toBe(guards);
    expect(() => parsesAsModule(`(${code}\n)`)).not.toThrow();
  });

  it("keeps the meaning of the code it instruments", () => {
    const { code } = instrumentSource("(n) => { let s = 0; for (let i = 0; i < n; i++) s += i; return s }");
    const body = `const __od_guard = () => {}; return (${code})(10);`;
    expect(new Function(body)()).toBe(45);
  });

  it("tells how the source uses $: not at all, only the definition's own fields, or anything else", () => {
    const use = (source: string) => instrumentSource(source).context;
    expect(use("async () => 'pong'")).toBe("none");
    expect(use("async (name) => `${name} from ${$.$id} (${$.$type}) of ${$.$context}: ${$.config.plan.tier}`")).toBe("data");
    // `$.db` and `$.emit` the facet answers alone: no host crosses with such a call.
    expect(use("async (id) => $.db.Customer.get(id)")).toBe("local");
    expect(use("async () => [$.$id, $.emit]")).toBe("local");
    expect(use("async () => $.db.transaction(async () => $.db.A.create({}))")).toBe("local");
    // Anything that could reach further counts as state: computed keys, $ itself, patterns, the host's capabilities.
    for (const source of ["async () => $['$id']", "async () => $['db']", "async () => $", "async () => typeof $", "async () => Object.keys($)", "async ({ $ }) => 1", "async () => { const { $id } = $; return $id }", "async () => { const { db } = $; return db }", "async () => $.db && $.slack`hi`", "async () => $.fsx.read('/a')", "async () => $.stripe.customers.list()", "async () => $.gitx.history()"]) {
      expect(use(source), source).toBe("state");
    }
  });

  it("refuses anything but one function expression, the reserved prefix and the module system", () => {
    expect(() => instrumentSource("1), (2")).toThrow();
    expect(() => instrumentSource("() => { let __od_guard }")).toThrow(/reserved/);
    expect(() => instrumentSource("() => import('./prelude.js')")).toThrow(/import/);
    expect(() => instrumentSource("() => import.meta")).toThrow(/import/);
    expect(() => instrumentSource("function F() { return new.target }")).not.toThrow();
  });
});

describe("buildWorkerModules", () => {
  const snapshot: Snapshot = {
    hash: "a".repeat(64),
    provenance: { source: "api", at: "" },
    definition: {
      $id: "crm.acme.com",
      $type: "SaaS",
      config: { plan: "pro" },
      api: { ping: "async () => 'pong' // trailing comment", customers: { create: { code: "async (data) => $.db.Customer.create(data)", params: ["data"] } } },
      events: { "Customer.created": "async (c) => c", "*.deleted": "async () => {}" },
    },
  };

  it("generates modules that parse: tables as JSON in main.js, each method under its dotted name", () => {
    const built = buildWorkerModules(snapshot);
    const main = built.modules["main.js"]!;
    for (const name of ["main.js", "definition.js", "prelude.js"]) expect(() => parsesAsModule(built.modules[name]!)).not.toThrow();
    expect(main).toContain('["ping",0,"none"]');
    expect(main).toContain('["customers.create",1,"local"]');
    expect(main).toContain('"config":{"plan":"pro"}');
    expect(built.eventPatterns).toEqual(["Customer.created", "*.deleted"]);
    expect([...built.stateless]).toEqual(["ping"]);
    // No handler names more than the facet answers: no method needs a host crossing with its call.
    expect([...built.hostless]).toEqual(["ping", "customers.create"]);
    const withHostHandler = buildWorkerModules({ ...snapshot, definition: { ...snapshot.definition, events: { "Customer.created": "async (c) => $.slack`new: ${c.id}`" } } });
    expect([...withHostHandler.hostless]).toEqual([]);
  });

  it("tells which pages the facet answers with no host: expressions and definition components naming only $.db", () => {
    const components = { Count: "async () => (await $.db.A.list()).length", Mail: "async () => $.email`hi`" };
    const site = { "/": "# {(await $.db.A.list()).length} <Hero title=\"x\" />", "/count": "<Count />", "/mail": "<Mail />", "/ask": "{await $.ai.ask('x')}", "/plain": "# {1 + 2}" };
    const built = buildWorkerModules({ ...snapshot, definition: { ...snapshot.definition, components, site } });
    expect([...built.pages.hostless].sort()).toEqual(["site:/", "site:/count"]);
    expect([...built.pages.stateless]).toEqual(["site:/plain"]);
  });

  it("puts user code in a module whose scope binds no name at all", () => {
    const program = parsesAsModule(buildWorkerModules(snapshot).modules["definition.js"]!);
    expect(program.body.map((node) => node.type)).toEqual(["ExportDefaultDeclaration"]);
    const exported = program.body[0] as unknown as { declaration: { type: string; elements: Array<{ type: string; id: unknown }> } };
    expect(exported.declaration.type).toBe("ArrayExpression");
    expect(exported.declaration.elements.every((element) => element.type === "FunctionExpression" && element.id === null)).toBe(true);
  });

  it("names loaders after runtime version, environment, object and content hash", () => {
    expect(loaderId("crm.acme.com", "production", "a".repeat(64))).toBe(`v${RUNTIME_VERSION}:production:crm.acme.com:${"a".repeat(64)}`);
    expect(loaderId("crm.acme.com", "pr-1", "a".repeat(64))).not.toBe(loaderId("crm.acme.com", "production", "a".repeat(64)));
  });
});
