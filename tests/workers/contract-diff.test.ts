import { describe, expect, it } from "vitest";
import { problem } from "../support/http.ts";
import { api, token, unique } from "../support/worker-client.ts";

interface DiffBody {
  headline: string;
  breaking: boolean;
  lines: string[];
  from: { version?: string };
  to: { version?: string };
  rangeBreak?: { range: string; suggested: string };
  refs: { from: string; to: string };
}

describe("GET /<id>/__diff", () => {
  it("reports what changed between two refs, what breaks, and a break inside a pinned range", async () => {
    const id = unique("diff");
    expect((await api.put(id, { $version: "1.0.0", api: { greet: "async (name) => `Hi ${name}`", old: "async () => 0" }, site: { "/": "# A" } }, token)).status).toBe(201);
    expect((await api.put(id, { $version: "1.1.0", api: { greet: "async (name, title) => `Hi ${title} ${name}`", add: "async (a, b) => a + b" }, site: { "/": "# B" } }, token)).status).toBe(201);

    const response = await api.fetch(`/${id}/__diff?from=v1.0.0`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as DiffBody;
    expect(body.refs).toEqual({ from: "v1.0.0", to: "latest" });
    expect(body).toMatchObject({ breaking: true, from: { version: "1.0.0" }, to: { version: "1.1.0" }, rangeBreak: { range: "^1", suggested: "2.0.0" } });
    expect(body.headline).toBe("7 change(s), 4 breaking");
    expect(body.lines).toContain("~ method greet(name, title) (was greet(name))  BREAKING");
    expect(body.lines).toContain("- method old()  BREAKING");
    expect(body.lines).toContain("+ method add(a, b)");
    expect(body.lines).toContain("* page site / (modified)");

    const back = (await (await api.fetch(`/${id}@v1.1.0/__diff?from=v1.0.0&to=v1.0.0`)).json()) as DiffBody;
    expect(back).toMatchObject({ headline: "contract unchanged", breaking: false, lines: [] });
  });

  it("asks for the ref to compare with, and names refs that do not exist", async () => {
    const id = unique("diff");
    expect((await api.put(id, { api: { hi: "async () => 1" } }, token)).status).toBe(201);
    expect((await problem(await api.fetch(`/${id}/__diff`), 400)).code).toBe("from-required");
    expect((await problem(await api.fetch(`/${id}/__diff?from=v9.9.9`), 404)).detail).toContain("9.9.9");
    expect((await problem(await api.fetch(`/${unique("never")}/__diff?from=latest`), 404)).code).toBe("object-not-found");
  });
});
