import { describe, expect, it } from "vitest";
import { problem } from "../support/http.ts";
import { api, token, unique } from "../support/worker-client.ts";

const greeter = (greeting: string) => ({ api: { hello: `async (name) => \`${greeting} \${name}!\`` } });
const authed = (init: RequestInit = {}) => ({ ...init, headers: { authorization: `Bearer ${token}`, accept: "application/json", ...init.headers } });

describe("versions and pinning", () => {
  it("serves @v1.0.0, @^1, @<hash prefix> and @latest, and rolls back", async () => {
    const id = unique("pinned");
    const v1 = (await (await api.put(id, greeter("Hello"), token, "?version=1.0.0")).json()) as { hash: string };
    const v2put = await api.put(id, { ...greeter("Howdy"), $version: "2.0.0" }, token);
    expect(v2put.status).toBe(201);
    const v2 = (await v2put.json()) as { hash: string; version: string; urls: Record<string, string> };
    expect(v2.version).toBe("2.0.0");
    expect(v2.urls.version).toBe(`http://objects.test/${id}@v2.0.0`);

    expect(await api.result(`${id}@v1.0.0`, "hello", ["Ada"])).toBe("Hello Ada!");
    expect(await api.result(`${id}@1.0.0`, "hello", ["Ada"])).toBe("Hello Ada!");
    expect(await api.result(`${id}@%5E1`, "hello", ["Ada"])).toBe("Hello Ada!");
    expect(await api.result(`${id}@^2`, "hello", ["Ada"])).toBe("Howdy Ada!");
    expect(await api.result(`${id}@${v1.hash.slice(0, 7)}`, "hello", ["Ada"])).toBe("Hello Ada!");
    expect(await api.result(`${id}@latest`, "hello", ["Ada"])).toBe("Howdy Ada!");
    expect(await api.result(id, "hello", ["Ada"])).toBe("Howdy Ada!");

    const rollback = await api.fetch(`/${id}/rollback`, authed({ method: "POST", body: JSON.stringify({ to: "v1.0.0" }) }));
    expect(await rollback.json()).toMatchObject({ id, latest: v1.hash, previous: v2.hash, diff: { breaking: false } });
    expect(await api.result(id, "hello", ["Ada"])).toBe("Hello Ada!");
    expect(await api.result(`${id}@v2.0.0`, "hello", ["Ada"])).toBe("Howdy Ada!");
  });

  it("answers 404 for a version never published and 400 for a malformed ref", async () => {
    const id = unique("refs");
    await api.put(id, greeter("Hi"), token);
    expect((await problem(await api.rpc(`${id}@v9.0.0`, "hello"), 404)).code).toBe("ref-not-found");
    expect((await problem(await api.rpc(`${id}@a:b`, "hello"), 400)).code).toBe("ref-invalid");
    expect((await problem(await api.rpc("never-published.do", "hello"), 404)).code).toBe("object-not-found");
  });

  it("runs the new code right after a publish (the loader never reuses an old isolate)", async () => {
    const id = unique("fresh");
    for (const n of [1, 2, 3]) {
      await api.put(id, { api: { n: `async () => ${n}` } }, token);
      expect(await api.result(id, "n")).toBe(n);
    }
  });

  it("refuses to re-publish a version with other content (409) and accepts identical content (200, nothing stored)", async () => {
    const id = unique("immutable");
    expect((await api.put(id, greeter("A"), token, "?version=1.0.0")).status).toBe(201);
    const again = await api.put(id, greeter("A"), token, "?version=1.0.0");
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ created: false, stored: false });
    expect((await problem(await api.put(id, greeter("B"), token, "?version=1.0.0"), 409)).code).toBe("version-immutable");
    expect(await api.result(id, "hello", ["x"])).toBe("A x!");
  });

  it("compare-and-swaps with If-Match, refusing a stale expectation with 409", async () => {
    const id = unique("cas");
    const first = (await (await api.put(id, greeter("A"), token)).json()) as { hash: string };
    const put = (body: unknown, ifMatch: string) =>
      api.fetch(`/${id}`, { method: "PUT", headers: { authorization: `Bearer ${token}`, "if-match": ifMatch }, body: JSON.stringify(body) });
    expect((await put(greeter("B"), `"${first.hash}"`)).status).toBe(201);
    expect((await problem(await put(greeter("C"), `"${first.hash}"`), 409)).code).toBe("ref-moved");
    expect(await api.result(id, "hello", ["x"])).toBe("B x!");
  });
});

describe("bad definitions", () => {
  it("answers 422 listing every issue, and the last good version stays live", async () => {
    const id = unique("guarded");
    await api.put(id, greeter("Good"), token);
    const response = await api.put(id, { api: { hello: "async (name) => {", "bad-name": "() => 1" }, extra: true }, token);
    const body = await problem(response, 422);
    expect(body.errors?.map((e) => `${e.path} ${e.code}`)).toEqual(["/api/bad-name invalid-key", "/api/hello syntax-error", "/extra unknown-key"]);
    expect(await api.result(id, "hello", ["x"])).toBe("Good x!");
  });

  it("takes the body as JSON whatever its content type, and answers 400 when it is not JSON", async () => {
    const id = unique("ctype");
    const asText = await api.fetch(`/${id}`, { method: "PUT", headers: { authorization: `Bearer ${token}`, "content-type": "text/plain" }, body: JSON.stringify(greeter("T")) });
    expect(asText.status).toBe(201);
    expect((await problem(await api.put(id, "{not json", token), 400)).code).toBe("json-invalid");
  });

  it("refuses a body $id other than the path's, and a ref in a write path", async () => {
    expect((await problem(await api.put(unique("a"), { $id: "other.do" }, token), 422)).errors?.[0]).toMatchObject({ path: "/$id", code: "id-mismatch" });
    expect((await problem(await api.put("x.do@v1.0.0", greeter("A"), token), 400)).code).toBe("ref-not-writable");
  });

  it("refuses a body over 1 MiB with 413 and deep nesting with 422 (D6, D7)", async () => {
    const big = JSON.stringify({ config: { blob: "x".repeat(1_100_000) } });
    expect((await problem(await api.put(unique("big"), big, token), 413)).code).toBe("body-too-large");
    const deep = `{"config":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expect((await problem(await api.put(unique("deep"), deep, token), 422)).code).toBe("max-depth");
  });

  it("refuses prototype keys anywhere with 422 (D3)", async () => {
    const body = await problem(await api.put(unique("proto"), '{"config":{"__proto__":{"isAdmin":true}}}', token), 422);
    expect(body.errors).toEqual([expect.objectContaining({ path: "/config/__proto__", code: "forbidden-key" })]);
  });
});

describe("reading and deleting", () => {
  it("describes an object, lists its versions, and deletes it with its state", async () => {
    const id = unique("described");
    await api.put(id, { api: { add: "async (n) => (await $.db.Thing.create({ n })).n", count: "async () => (await $.db.Thing.list()).length" } }, token, "?version=1.0.0");
    await api.result(id, "add", [1]);
    const described = (await (await api.fetch(`/${id}`, authed())).json()) as { refs: Record<string, string>; definition: { $id: string }; provenance: { source: string; actor: string } };
    expect(described.definition.$id).toBe(id);
    expect(described.provenance).toMatchObject({ source: "api", actor: "tester" });
    const versions = (await (await api.fetch(`/${id}/versions`, authed())).json()) as { versions: Record<string, string>; publications: unknown[] };
    expect(Object.keys(versions.versions)).toEqual(["1.0.0"]);
    expect(versions.publications).toHaveLength(1);

    expect((await api.fetch(`/${id}`, authed({ method: "DELETE" }))).status).toBe(204);
    expect((await problem(await api.rpc(id, "count"), 404)).code).toBe("object-not-found");
    expect((await problem(await api.fetch(`/${id}`, authed({ method: "DELETE" })), 404)).code).toBe("object-not-found");
    await api.put(id, { api: { count: "async () => (await $.db.Thing.list()).length" } }, token);
    expect(await api.result(id, "count")).toBe(0);
  });
});
