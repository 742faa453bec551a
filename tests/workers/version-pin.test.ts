import { describe, expect, it } from "vitest";
import { problem } from "../support/http.ts";
import { api, token, unique } from "../support/worker-client.ts";

const call = (path: string, headers: Record<string, string> = {}) => api.fetch(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: '{"method":"which"}' });
const result = async (response: Response) => ((await response.json()) as { result: unknown }).result;

describe("skew protection: Objects-Version pins a caller to one version", () => {
  it("answers a pinned caller from its version while latest moves on, and names the version in every response", async () => {
    const id = unique("pin");
    const first = (await (await api.put(id, { $version: "1.0.0", api: { which: "async () => 'one'" }, site: { "/": "# One" } }, token)).json()) as { hash: string };
    const second = (await (await api.put(id, { $version: "1.1.0", api: { which: "async () => 'two'" }, site: { "/": "# Two" } }, token)).json()) as { hash: string };

    const unpinned = await call(`/${id}/rpc`);
    expect(unpinned.headers.get("objects-version")).toBe(second.hash);
    expect(await result(unpinned)).toBe("two");

    // The pin a client echoes back (the response header), a short hash prefix and a version all name the first.
    for (const pin of [first.hash, first.hash.slice(0, 8), "v1.0.0", "1.0.0"]) {
      const pinned = await call(`/${id}/rpc`, { "objects-version": pin });
      expect(pinned.headers.get("objects-version")).toBe(first.hash);
      expect(await result(pinned)).toBe("one");
    }
    // Every surface that answers from a version says which: API, pages, schema.
    const page = await api.fetch(`/${id}/`, { headers: { accept: "text/html", "objects-version": "v1.0.0" } });
    expect(page.headers.get("objects-version")).toBe(first.hash);
    expect(await page.text()).toContain("One");
    expect((await api.fetch(`/${id}/api/which`, { headers: { "objects-version": "v1.0.0" } })).headers.get("objects-version")).toBe(first.hash);
    expect((await api.fetch(`/${id}/__schema`)).headers.get("objects-version")).toBe(second.hash);

    // The cookie pins a browser the same way.
    const cookie = await call(`/${id}/rpc`, { cookie: `theme=dark; objects-version=${first.hash.slice(0, 10)}` });
    expect(await result(cookie)).toBe("one");
  });

  it("refuses a header that names no single version, ignores such a cookie, and never overrides an exact ref in the URL", async () => {
    const id = unique("pin");
    const first = (await (await api.put(id, { $version: "1.0.0", api: { which: "async () => 'one'" } }, token)).json()) as { hash: string };
    const second = (await (await api.put(id, { $version: "2.0.0", api: { which: "async () => 'two'" } }, token)).json()) as { hash: string };

    for (const moving of ["latest", "^1", "main"]) {
      const invalid = await problem(await call(`/${id}/rpc`, { "objects-version": moving }), 400);
      expect(invalid.code).toBe("version-pin-invalid");
      expect(invalid.detail).toContain("Objects-Version");
    }
    const missing = await problem(await call(`/${id}/rpc`, { "objects-version": "v9.9.9" }), 404);
    expect(missing).toMatchObject({ code: "version-pin-not-found" });
    expect(missing.detail).toContain("9.9.9");

    // A stale or foreign cookie (another object's version on the same host) falls back to the URL's ref.
    for (const stale of ["v9.9.9", "latest", "0000000"]) {
      const answered = await call(`/${id}/rpc`, { cookie: `objects-version=${stale}` });
      expect(answered.headers.get("objects-version")).toBe(second.hash);
      expect(await result(answered)).toBe("two");
    }
    // An exact ref in the URL already names its version.
    const exact = await call(`/${id}@v2.0.0/rpc`, { "objects-version": "v1.0.0" });
    expect(exact.headers.get("objects-version")).toBe(second.hash);
    expect(first.hash).not.toBe(second.hash);
    // A failed call still says which version failed.
    const failed = await api.fetch(`/${id}/rpc`, { method: "POST", headers: { "objects-version": "v1.0.0" }, body: '{"method":"nope"}' });
    expect(failed.status).toBe(404);
    expect(failed.headers.get("objects-version")).toBe(first.hash);
  });
});
