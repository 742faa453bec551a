import { describe, expect, it } from "vitest";
import { diffContracts, diffLines, diffMarkdown, sourceParams, type ContractChange } from "../../definitions/index.ts";
import type { NormalizedDefinition } from "../../schemas/index.ts";

const def = (parts: Omit<NormalizedDefinition, "$id">): NormalizedDefinition => ({ $id: "crm.acme.com", ...parts });
const side = (definition: NormalizedDefinition, version?: string) => ({ hash: "a".repeat(64), definition, ...(version ? { version } : {}) });
type Row = [string, Omit<NormalizedDefinition, "$id">, Omit<NormalizedDefinition, "$id">, Array<Partial<ContractChange>>, boolean];

const rows: Row[] = [
  ["nothing changed", { api: { hi: "() => 1" } }, { api: { hi: "() => 1" } }, [], false],
  ["a method added", { api: { hi: "() => 1" } }, { api: { hi: "() => 1", bye: "(name) => name" } }, [{ kind: "method", name: "bye", change: "added", after: "bye(name)", breaking: false }, { kind: "tool", name: "bye", change: "added" }], false],
  ["a method removed", { api: { hi: "() => 1", bye: "() => 2" } }, { api: { hi: "() => 1" } }, [{ kind: "method", name: "bye", change: "removed", before: "bye()", breaking: true }, { kind: "tool", name: "bye", change: "removed", breaking: true }], true],
  ["a parameter added", { api: { greet: "(name) => name" } }, { api: { greet: "(name, title) => title + name" } }, [{ kind: "method", change: "re-signed", before: "greet(name)", after: "greet(name, title)", breaking: true }, { kind: "tool", change: "re-signed" }], true],
  ["a declared return type changed", { api: { get: { code: "(id) => ({})", params: ["id"], returns: "Customer" } } }, { api: { get: { code: "(id) => ({})", params: ["id"], returns: "Customer | null" } } }, [{ kind: "method", name: "get", change: "re-signed", before: "get(id) → Customer", after: "get(id) → Customer | null", breaking: true }, { kind: "tool", change: "re-signed" }], true],
  ["an optional trailing parameter added", { api: { greet: "(name) => name" } }, { api: { greet: "(name, title = '') => title + name" } }, [{ kind: "method", change: "re-signed", after: "greet(name, title?)", breaking: false }, { kind: "tool", change: "re-signed", breaking: false }], false],
  ["a return annotation added", { api: { hello: "(name) => name" } }, { api: { hello: { code: "(name) => name", returns: "string" } } }, [{ kind: "method", change: "re-signed", before: "hello(name)", after: "hello(name) → string", breaking: false }, { kind: "tool", breaking: false }], false],
  ["a parameter renamed: positional callers keep working, named ones (tools) break", { api: { greet: "(name) => name" } }, { api: { greet: "(who) => who" } }, [{ kind: "method", change: "re-signed", breaking: false }, { kind: "tool", change: "re-signed", breaking: true }], true],
  ["a parameter made required", { api: { greet: "(name, title = '') => name" } }, { api: { greet: "(name, title) => name" } }, [{ kind: "method", breaking: true }, { kind: "tool", breaking: true }], true],
  ["a parameter removed", { api: { greet: "(name, title) => name" } }, { api: { greet: "(name) => name" } }, [{ kind: "method", breaking: true }, { kind: "tool", breaking: true }], true],
  ["a declared parameter's type changed", { api: { add: { code: "(n) => n", params: ["n: number"] } } }, { api: { add: { code: "(n) => n", params: ["n: string"] } } }, [{ kind: "method", after: "add(n: string)", breaking: true }, { kind: "tool", breaking: true }], true],
  ["a declared parameter made optional", { api: { add: { code: "(n) => n", params: ["n"] } } }, { api: { add: { code: "(n) => n", params: ["n?"] } } }, [{ kind: "method", after: "add(n?)", breaking: false }, { kind: "tool", breaking: false }], false],
  ["only the body changed", { api: { hi: "() => 1" } }, { api: { hi: "() => 2" } }, [{ kind: "method", name: "hi", change: "modified", breaking: false }], false],
  ["a nested method re-signed", { api: { customers: { create: "(name) => name" } } }, { api: { customers: { create: "({ name, email }) => name" } } }, [{ kind: "method", name: "customers.create", change: "re-signed", after: "customers.create({ name, email })", breaking: false }, { kind: "tool", name: "customers.create", breaking: true }], true],
  ["events, schedules and pages are not breaking", { events: { "Customer.created": "() => 1" }, schedules: { "every.hour": "() => 1" }, site: { "/": "# A", "/old": "x" } }, { events: { "Deal.won": "() => 1" }, schedules: { "every.hour": "() => 2" }, site: { "/": "# B" }, app: { "/": "# App" } }, [
    { kind: "event", name: "Customer.created", change: "removed", breaking: false },
    { kind: "event", name: "Deal.won", change: "added" },
    { kind: "schedule", name: "every.hour", change: "modified" },
    { kind: "page", name: "app /", change: "added" },
    { kind: "page", name: "site /", change: "modified" },
    { kind: "page", name: "site /old", change: "removed", breaking: false },
  ], false],
  ["an agent prompt and its tools", { agent: { systemPrompt: "Be brief", tools: ["hi"] } }, { agent: { systemPrompt: "Be brief", tools: ["hi", "bye"] } }, [{ kind: "prompt", name: "agent", change: "re-signed", before: "agent (tools: hi)", after: "agent (tools: hi, bye)", breaking: false }], false],
];

describe("contract diff", () => {
  it.each(rows)("%s", (_name, before, after, expected, breaking) => {
    const diff = diffContracts(side(def(before)), side(def(after)));
    expect(diff.changes).toHaveLength(expected.length);
    expected.forEach((change, index) => expect(diff.changes[index]).toMatchObject(change));
    expect(diff.breaking).toBe(breaking);
  });

  it("lists a new object's members without calling them changes to anything", () => {
    const diff = diffContracts(null, side(def({ api: { hi: "() => 1" } })));
    expect(diff.from).toBeNull();
    expect(diff.breaking).toBe(false);
    expect(diffLines(diff)).toEqual([]);
  });

  it.each([
    ["1.2.0", "1.3.0", true, { range: "^1", suggested: "2.0.0" }],
    ["1.2.0", "1.2.1", true, { range: "^1", suggested: "2.0.0" }],
    ["0.3.1", "0.3.2", true, { range: "^0.3", suggested: "0.4.0" }],
    ["1.2.0", "2.0.0", true, undefined],
    ["0.3.1", "0.4.0", true, undefined],
    ["1.2.0", "1.3.0", false, undefined],
  ] as const)("a breaking change from %s to %s (breaking: %s) → %o", (from, to, breaking, expected) => {
    const before = def({ api: { hi: "(a) => a" } });
    const after = def({ api: { hi: breaking ? "(a, b) => a + b" : "(a) => a + 1" } });
    const diff = diffContracts(side(before, from), side(after, to));
    if (expected) expect(diff.rangeBreak).toEqual({ from, to, ...expected });
    else expect(diff.rangeBreak).toBeUndefined();
  });

  it("reads like a changelog, in text and Markdown", () => {
    const diff = diffContracts(side(def({ api: { hi: "(a) => a", old: "() => 0" } }), "1.0.0"), side(def({ api: { hi: "(a, b) => a" } }), "1.1.0"));
    expect(diffLines(diff)).toEqual([
      "~ method hi(a, b) (was hi(a))  BREAKING",
      "- method old()  BREAKING",
      "~ tool hi(a, b) (was hi(a))  BREAKING",
      "- tool old()  BREAKING",
      "warning: breaking change published as 1.1.0, inside ^1 which clients of 1.0.0 pin: publish it as 2.0.0",
    ]);
    expect(diffMarkdown("crm.acme.com", diff)).toContain("**`crm.acme.com`** (from v1.0.0): 4 change(s), 4 breaking ⚠️");
  });

  it.each([
    ["(a, b) => a", ["a", "b"]],
    ["async function (x = 1, ...rest) { return x }", ["x?", "...rest"]],
    ["([first, , third], { a, ...others }) => 0", ["[first, , third]", "{ a, ...others }"]],
    ["() => 0", []],
  ])("reads the parameters of %s", (code, params) => {
    expect(sourceParams(code)).toEqual(params);
  });
});
