// Attempts to reach the generated module's internals or to run a loop without its guard: every one must fail.
import { beforeAll, describe, expect, it } from "vitest";
import { problem } from "../support/http.ts";
import { api, token, unique } from "../support/worker-client.ts";

const internals = ["METHODS", "META", "EVENTS", "SCHEDULES", "PAGES", "COMPONENTS", "createEntrypoint", "WorkerEntrypoint", "factories", "createBudget", "EXCEEDED", "make", "settle", "run", "tables"];

const attempts = {
  api: {
    names: `async () => [${internals.map((name) => `typeof ${name}`).join(", ")}]`,
    spin: "(n) => { let i = 0; for (; i < n; i++) {} return i }",
    // The bypass of the issue: an inner factory called with a guard that does nothing.
    bypass: "(n) => METHODS.get('spin').make(undefined, Function.prototype)(n)",
    thisOf: "() => typeof this",
    thisFactory: "(n) => this.make(undefined, () => {})(n)",
    argumentsGuard: "() => { arguments[1] = () => {}; for (;;) {} }",
    replacedIntrinsics: "() => { Function.prototype.call = () => 0; Function.prototype.apply = () => 0; Reflect.apply = () => 0; Date.now = () => 0; for (;;) {} }",
    proxyApply: "() => { const f = new Proxy(() => 0, { apply() { for (;;) {} } }); return f() }",
    prototypeGetters: "() => { Object.defineProperty(Object.prototype, 'ticks', { get() { throw new Error('boom') }, configurable: true }); try { for (;;) {} } finally { delete Object.prototype.ticks } }",
    loopingToJSON: "() => ({ toJSON() { for (;;) {} } })",
    loopingThen: "() => ({ then() { for (;;) {} } })",
    generator: "() => { function* g() { for (;;) yield 1 } for (const _ of g()) {} }",
    asyncIterator: "async () => { async function* g() { for (;;) yield 1 } for await (const _ of g()) {} }",
    iteratorProtocol: "() => [...{ [Symbol.iterator]() { return { next: () => ({ done: false, value: 1 }) } } }]",
    caughtAndContinued: "async () => { try { for (;;) {} } catch (e) { try { Object.setPrototypeOf(e.constructor, null) } catch {} } await null; for (;;) {} }",
    finallyContinue: "() => { for (;;) { try { for (;;) {} } finally { continue } } }",
    labelled: "() => { outer: for (;;) { try { for (;;) {} } catch { continue outer } } }",
    recursion: "function f(n) { return f(n + 1) + 1 }",
    stackFrames: "() => { Error.prepareStackTrace = (_, frames) => frames.map((frame) => typeof frame.getFunction()); const stack = new Error().stack; Error.prepareStackTrace = undefined; return stack }",
    codeFromStrings: "() => { try { return (() => {}).constructor('return 1')() } catch (e) { return e.name } }",
    leftBehind: "async () => { setTimeout(() => { for (;;) {} }, 5); setInterval(() => { for (;;) {} }, 7); return 'answered' }",
    alive: "async () => 'still here'",
    fn: "async () => () => 1",
    symbol: "async () => Symbol('s')",
    nested: "async () => ({ ok: 1, handler() {} })",
    bigint: "async () => 10n",
    huge: "async () => 'x'.repeat(9 * 1024 * 1024)",
  },
};

describe("the sandbox's internals", () => {
  let id: string;
  beforeAll(async () => {
    id = unique("escape");
    expect((await api.put(id, attempts, token)).status).toBe(201);
  });

  it("are not reachable by name from user code", async () => {
    expect(await api.result(id, "names")).toEqual(internals.map(() => "undefined"));
  });

  it("refuses the issue's bypass: no inner factory can be called with a guard of one's own", async () => {
    const body = await problem(await api.rpc(id, "bypass", [1e9]), 500);
    expect(body.detail).toMatch(/ReferenceError: METHODS is not defined/);
  });

  it("gives user functions no `this` that leads back to a table entry", async () => {
    expect(await api.result(id, "thisOf")).toBe("undefined");
    expect((await problem(await api.rpc(id, "thisFactory", [1e9]), 500)).detail).toMatch(/TypeError/);
  });

  it.each([
    "argumentsGuard",
    "replacedIntrinsics",
    "proxyApply",
    "prototypeGetters",
    "loopingToJSON",
    "loopingThen",
    "generator",
    "asyncIterator",
    "iteratorProtocol",
    "caughtAndContinued",
    "finallyContinue",
    "labelled",
  ])("keeps every loop and call of %s guarded", async (method) => {
    // The guard stops it by its tick budget, or by the deadline it checks every 1024 ticks when the ticks are slow
    // (one that builds a 20-million-element array may take longer than the tests' 3 s): either is the guard.
    expect(["cpu-limit", "call-timeout"]).toContain((await problem(await api.rpc(id, method), 504)).code);
  });

  it("lets honest loops finish and stops long ones at the tick budget", async () => {
    expect(await api.result(id, "spin", [1000])).toBe(1000);
    expect((await problem(await api.rpc(id, "spin", [1e12]), 504)).code).toBe("cpu-limit");
  });

  it("turns unbounded recursion into a failure, not a hang", async () => {
    expect((await problem(await api.rpc(id, "recursion", [0]), 500)).detail).toMatch(/RangeError|budget/);
  });

  it("shows stack frames without their functions (strict code everywhere)", async () => {
    const frames = (await api.result(id, "stackFrames")) as string[];
    expect(Array.isArray(frames)).toBe(true);
    expect(frames.filter((type) => type !== "undefined")).toEqual([]);
  });

  it("cannot make code from strings", async () => {
    expect(await api.result(id, "codeFromStrings")).toBe("EvalError");
  });

  it("stops timers a call left behind once it has answered", async () => {
    expect(await api.result(id, "leftBehind")).toBe("answered");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await api.result(id, "alive")).toBe("still here");
    expect(await api.result(id, "spin", [10])).toBe(10);
  });

  it.each([
    ["fn", "a function"],
    ["symbol", "a symbol"],
    ["nested", 'a function at "handler"'],
    ["bigint", "a bigint"],
  ])("answers %s with 500 non-serializable-result naming what it holds", async (method, what) => {
    const body = await problem(await api.rpc(id, method), 500);
    expect(body.code).toBe("non-serializable-result");
    expect(body.detail).toContain(what);
  });

  it("refuses an oversized result with 413 naming the limit", async () => {
    const body = await problem(await api.rpc(id, "huge"), 413);
    expect(body.code).toBe("result-too-large");
    expect(body.detail).toMatch(/exceeds \d+ characters/);
  });
});

describe("a definition that poisons its own isolate's globals", () => {
  let id: string;
  beforeAll(async () => {
    id = unique("poison");
    const poison = {
      api: {
        pollute: "async () => { Object.prototype.then = function () {}; Promise.prototype.then = function () {}; Promise.resolve = () => new Promise(() => {}); globalThis.setTimeout = () => 0; return 'polluted' }",
        plain: "async () => 'plain'",
        spin: "() => { for (;;) {} }",
        forever: "async () => { for (;;) await null }",
      },
    };
    expect((await api.put(id, poison, token)).status).toBe(201);
  });

  it("still gets answers, still stops loops, and leaves other objects alone", async () => {
    expect(await api.result(id, "pollute")).toBe("polluted");
    expect(await api.result(id, "plain")).toBe("plain");
    expect((await problem(await api.rpc(id, "spin"), 504)).code).toBe("cpu-limit");
    expect((await problem(await api.rpc(id, "forever"), 504)).code).toBe("cpu-limit");
  });
});

describe("publishing code that reaches for the module system", () => {
  it.each([
    ["import()", "async () => (await import('./prelude.js')).createEntrypoint"],
    ["import.meta", "async () => import.meta.url"],
  ])("refuses %s with 422 at its line", async (_, source) => {
    const body = await problem(await api.put(unique("imports"), { api: { go: source } }, token), 422);
    expect(body.errors).toEqual([expect.objectContaining({ path: "/api/go", code: "import-not-allowed", line: 1 })]);
  });
});

describe("publishing a regular expression that backtracks exponentially", () => {
  it("is refused with 422 at its line, and a pattern built at run time publishes with a warning", async () => {
    const body = await problem(await api.put(unique("redos"), { api: { c: "async () => /(a+)+$/.test('a'.repeat(40) + 'b')" } }, token), 422);
    expect(body.errors).toEqual([expect.objectContaining({ path: "/api/c", code: "regex-catastrophic", line: 1, column: 13 })]);
    const warned = await api.put(unique("redos"), { api: { c: "async (p) => new RegExp(p).test('x')" } }, token);
    expect(warned.status).toBe(201);
    expect(((await warned.json()) as { warnings: Array<{ code: string }> }).warnings).toEqual([expect.objectContaining({ path: "/api/c", code: "regex-dynamic" })]);
  });
});
