import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";
import { remoteLines, workingCopy, type WorkingCopy } from "../support/git.ts";

let e2e: E2E;
let repo: WorkingCopy;
let first: string;
beforeAll(async () => {
  e2e = await startE2E();
  repo = await workingCopy({ fixture: "acme", remote: `${e2e.server.url}/_/git/acme.git`, token: await e2e.token() });
  first = await repo.commit("first");
});
afterAll(async () => {
  repo?.remove();
  await e2e?.stop();
});

const greeting = (text: string) => JSON.stringify({ api: { hello: `async (name) => \`${text} \${name}!\`` } });

describe("git push publishes (the README's walk-through)", () => {
  it("publishes every object of the first push and prints each with its URLs", async () => {
    const push = await repo.git("push", "objects", "main");
    expect(push.code).toBe(0);
    const short = first.slice(0, 7);
    expect(remoteLines(push).slice(0, 2)).toEqual([
      `crm.acme.com  published  ${e2e.server.url}/crm.acme.com@${short}  ${e2e.server.url}/crm.acme.com@latest`,
      `hello.do      published  ${e2e.server.url}/hello.do@${short}  ${e2e.server.url}/hello.do@latest`,
    ]);
    expect(remoteLines(push)).toContain("contract of hello.do: new object: 1 method(s), 0 event handler(s), 0 schedule(s), 0 page(s)");
    expect((await e2e.call("crm.acme.com", "customers.create", [{ name: "Ada" }])).body.result).toMatchObject({ name: "Ada" });
    expect((await e2e.call("hello.do", "hello", ["World"])).body).toEqual({ result: "Hello World!" });
  });

  it("serves a second commit at latest and keeps the first addressable by its sha", async () => {
    const second = await repo.commit("second", { "hello.do.json": greeting("Howdy") });
    const push = await repo.git("push", "objects", "main");
    expect(remoteLines(push)).toContain(`crm.acme.com  unchanged  ${e2e.server.url}/crm.acme.com@${second.slice(0, 7)}  ${e2e.server.url}/crm.acme.com@latest`);
    expect(remoteLines(push)).toEqual(expect.arrayContaining(["contract of hello.do: 1 change(s), none breaking", "* method hello(name) (modified)"]));
    expect(remoteLines(push).join("\n")).not.toContain("contract of crm.acme.com");
    expect((await e2e.call("hello.do", "hello", ["Ada"])).body.result).toBe("Howdy Ada!");
    expect((await e2e.call(`hello.do@${first.slice(0, 7)}`, "hello", ["Ada"])).body.result).toBe("Hello Ada!");
    expect((await e2e.call(`hello.do@${second.slice(0, 7)}`, "hello", ["Ada"])).body.result).toBe("Howdy Ada!");
  });

  it("tags a version of every object with v1.0.0, and of one object with <id>@1.1.0", async () => {
    await repo.git("tag", "v1.0.0");
    expect((await repo.git("push", "objects", "v1.0.0")).code).toBe(0);
    expect((await e2e.call("hello.do@v1.0.0", "hello", ["Ada"])).body.result).toBe("Howdy Ada!");
    expect((await e2e.call("crm.acme.com@v1.0.0", "ping")).body.result).toBe("pong");

    await repo.commit("ping v2", { "crm.acme.com/api/ping.js": "export default async () => 'pong 1.1';\n", "hello.do.json": greeting("Hi") });
    await repo.git("tag", "crm.acme.com@1.1.0");
    const tag = await repo.git("push", "objects", "crm.acme.com@1.1.0");
    expect(remoteLines(tag).filter((line) => / (published|unchanged) /.test(line)).map((line) => line.split(/\s+/)[0])).toEqual(["crm.acme.com"]);
    expect(remoteLines(tag)).toEqual(expect.arrayContaining(["contract of crm.acme.com: 1 change(s), none breaking", "* method ping() (modified)"]));
    expect((await e2e.call("crm.acme.com@^1.1", "ping")).body.result).toBe("pong 1.1");
    expect((await e2e.call("hello.do@1.1.0", "hello", ["x"])).status).toBe(404);
    expect((await repo.git("push", "objects", "main")).code).toBe(0);
  });

  it("refuses an invalid definition with file:line:col in git's output, and keeps what was live", async () => {
    const before = (await repo.git("rev-parse", "HEAD")).stdout.trim();
    await repo.commit("broken", { "crm.acme.com/api/broken.js": "export default async (a) => {\n  const b = a +;\n  return b\n}\n", "hello.do.json": greeting("Broken") });
    const push = await repo.git("push", "objects", "main");
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain("crm.acme.com/api/broken.js:2:16 SyntaxError");
    expect(push.stderr).toMatch(/\[remote rejected\] main -> main \(invalid definitions/);
    expect((await e2e.call("hello.do", "hello", ["x"])).body.result).toBe("Hi x!");
    await repo.git("reset", "-q", "--hard", before);
  });

  it("never re-points a published version: deleting a tag keeps it, re-pushing it to other content is refused", async () => {
    expect((await repo.git("push", "objects", ":refs/tags/v1.0.0")).code).toBe(0);
    expect((await e2e.call("hello.do@v1.0.0", "hello", ["Ada"])).body.result).toBe("Howdy Ada!");
    await repo.git("tag", "-f", "v1.0.0");
    const push = await repo.git("push", "objects", "v1.0.0");
    expect(push.code).not.toBe(0);
    expect(remoteLines(push).join("\n")).toMatch(/hello\.do: version 1\.0\.0 is already published with other content/);
    expect((await e2e.call("hello.do@v1.0.0", "hello", ["Ada"])).body.result).toBe("Howdy Ada!");
  });

  it("serves a branch in its own environment and deletes that environment with the branch", async () => {
    await repo.git("checkout", "-q", "-b", "feature");
    await repo.commit("feature", { "hello.do.json": greeting("Feature") });
    expect((await repo.git("push", "objects", "feature")).code).toBe(0);
    expect((await e2e.call("hello.do@feature", "hello", ["x"])).body.result).toBe("Feature x!");
    expect((await e2e.call("hello.do", "hello", ["x"])).body.result).toBe("Hi x!");
    await e2e.call("crm.acme.com@feature", "customers.create", [{ name: "Only on the branch" }]);
    const onBranch = (await e2e.call("crm.acme.com@feature", "customers.list")).body.result as unknown[];
    const onMain = (await e2e.call("crm.acme.com", "customers.list")).body.result as unknown[];
    expect(onBranch).toHaveLength(1);
    expect(onMain.some((customer) => (customer as { name: string }).name === "Only on the branch")).toBe(false);

    expect((await repo.git("push", "objects", ":feature")).code).toBe(0);
    expect((await e2e.call("hello.do@feature", "hello", ["x"])).status).toBe(404);
    await repo.git("push", "objects", "feature");
    expect((await e2e.call("crm.acme.com@feature", "customers.list")).body.result).toEqual([]);
    await repo.git("checkout", "-q", "main");
  });

  it("moves latest on a force-push, and old commits stay addressable", async () => {
    const old = (await repo.git("rev-parse", "HEAD")).stdout.trim();
    await repo.git("reset", "-q", "--hard", first);
    const rewritten = await repo.commit("rewritten history", { "hello.do.json": greeting("Rewritten") });
    expect((await repo.git("push", "objects", "main")).code).not.toBe(0);
    expect((await repo.git("push", "--force", "objects", "main")).code).toBe(0);
    expect((await e2e.call("hello.do", "hello", ["x"])).body.result).toBe("Rewritten x!");
    expect((await e2e.call(`hello.do@${old.slice(0, 7)}`, "hello", ["x"])).body.result).toBe("Hi x!");
    expect((await e2e.call(`hello.do@${rewritten.slice(0, 7)}`, "hello", ["x"])).body.result).toBe("Rewritten x!");
  });

  it("stops serving an object at latest when a commit removes it (410 naming the last commit), older refs still serve it", async () => {
    const had = (await repo.git("rev-parse", "HEAD")).stdout.trim();
    await repo.commit("drop hello", { "hello.do.json": null });
    const push = await repo.git("push", "objects", "main");
    expect(remoteLines(push)).toContain(`hello.do      removed    ${e2e.server.url}/hello.do@${had.slice(0, 7)}`);
    const gone = await e2e.call("hello.do", "hello", ["x"]);
    expect(gone.status).toBe(410);
    expect(String(gone.body.detail)).toContain(had.slice(0, 12));
    // The control plane answers the same for the same object: 410 object-removed, its history still readable.
    const headers = { accept: "application/json", authorization: `Bearer ${await e2e.token()}` };
    for (const path of ["/hello.do", "/hello.do/"]) {
      const described = await fetch(`${e2e.server.url}${path}`, { headers });
      expect([path, described.status, ((await described.json()) as { code: string }).code]).toEqual([path, 410, "object-removed"]);
    }
    expect((await fetch(`${e2e.server.url}/hello.do/versions`, { headers })).status).toBe(200);
    expect((await e2e.call("hello.do@v1.0.0", "hello", ["x"])).body.result).toBe("Howdy x!");
  });
});
