// Pushes a hostile tenant would try: ref names and file names that must move nothing and print nothing forged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";
import { remoteLines, workingCopy, type WorkingCopy } from "../support/git.ts";

let e2e: E2E;
let admin: string;
const copies: WorkingCopy[] = [];
beforeAll(async () => {
  e2e = await startE2E();
  admin = await e2e.token();
});
afterAll(async () => {
  for (const copy of copies) copy.remove();
  await e2e?.stop();
});

const remote = (name: string) => `${e2e.server.url}/_/git/${name}.git`;
async function repoWith(name: string, token = admin): Promise<WorkingCopy> {
  const copy = await workingCopy({ remote: remote(name), token });
  copies.push(copy);
  return copy;
}
const describeObject = async (id: string) => {
  const response = await fetch(`${e2e.server.url}/${id}`, { headers: { accept: "application/json", authorization: `Bearer ${admin}` } });
  return { status: response.status, body: (await response.json()) as { refs?: Record<string, string> } };
};
const listed = async () => {
  const response = await fetch(`${e2e.server.url}/_/objects?limit=500`, { headers: { authorization: `Bearer ${admin}` } });
  return ((await response.json()) as { objects: Array<{ id: string }> }).objects.map((object) => object.id);
};

describe("a push whose ref cannot be published", () => {
  it.each([
    ["$(id)"],
    ["a\u202eb"],
    ["a\u2028b"],
    ["`x`"],
    ["x".repeat(230)],
  ])("is refused for branch %j and moves neither a git ref nor a registry ref", async (branch) => {
    const name = `named-${Math.random().toString(36).slice(2, 8)}`;
    const repo = await repoWith(name);
    await repo.commit("main", { [`${name}.do.json`]: JSON.stringify({ api: { v: "async () => 1" } }) });
    expect((await repo.git("push", "objects", "main")).code).toBe(0);
    const push = await repo.git("push", "objects", `HEAD:refs/heads/${branch}`);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/remote rejected/);
    const { body } = await describeObject(`${name}.do`);
    expect(Object.keys(body.refs ?? {})).toEqual(["latest"]);
    const refs = (await repo.git("ls-remote", "objects")).stdout.trim().split("\n").map((line) => line.split("\t")[1]);
    expect(refs).toEqual(["HEAD", "refs/heads/main"]);
  });
});

describe("a push whose file names make ids PUT would refuse", () => {
  it("publishes nothing, prints no forged remote: line and lists none of them", async () => {
    const repo = await repoWith("names");
    await repo.commit("hostile names", {
      "Foo.do.json": JSON.stringify({ api: { v: "async () => 1" } }),
      "foo.do.json": JSON.stringify({ api: { v: "async () => 2" } }),
      "x\nremote: FAKE published everything.do.json": JSON.stringify({ api: { v: "async () => 3" } }),
      "\u001b[2Jansi.do.json": JSON.stringify({ api: { v: "async () => 4" } }),
      "..x.do.json": JSON.stringify({ api: { v: "async () => 5" } }),
      "a@b.do.json": JSON.stringify({ api: { v: "async () => 6" } }),
      [`${"l".repeat(210)}.do.json`]: JSON.stringify({ api: { v: "async () => 7" } }),
    });
    const push = await repo.git("push", "objects", "main");
    expect(push.code).not.toBe(0);
    expect(push.stderr).not.toMatch(/^remote: FAKE/m);
    expect(push.stderr).not.toContain("\u001b");
    const lines = remoteLines(push).join("\n");
    expect(lines).toContain("Foo.do.json and foo.do.json both define the object foo.do");
    expect(lines).toMatch(/x\\u\{000a\}remote: FAKE published everything\.do\.json/);
    // Anchored: other tests in this file publish random ids (named-…x.do) that a loose pattern would catch.
    expect((await listed()).filter((id) => /fake|ansi|a@b|^l{200,}|^(foo|\.*x)\.do$/i.test(id))).toEqual([]);
    expect((await describeObject("foo.do")).status).toBe(404);
  });
});

describe("a push whose definition bytes are not clean text", () => {
  it("is refused at each file's line and column: invalid UTF-8, a BOM, duplicate keys", async () => {
    const repo = await repoWith("bytes");
    await repo.commit("bytes", {
      "bom.do.json": `\ufeff${JSON.stringify({ api: { v: "async () => 1" } })}`,
      "twice.do.json": '{\n  "api": {"v": "async () => 1"},\n  "api": {}\n}\n',
    });
    const { writeFileSync } = await import("node:fs");
    writeFileSync(`${repo.dir}/latin1.do.json`, Buffer.concat([Buffer.from('{"api": {"v": "async () => \'caf'), Buffer.from([0xe9]), Buffer.from("'\"}}")]));
    await repo.commit("latin-1");
    const push = await repo.git("push", "objects", "main");
    expect(push.code).not.toBe(0);
    const lines = remoteLines(push).join("\n");
    expect(lines).toContain("bom.do.json:1:1 starts with a byte order mark");
    expect(lines).toContain("latin1.do.json:1:32 is not valid UTF-8");
    expect(lines).toContain('twice.do.json:3:3 JSON: the key "api" appears twice');
  });
});

describe("a push of an id another repository publishes", () => {
  it("is refused naming the owner, unless the push says take-over", async () => {
    const [owner, other] = [await repoWith("owner-repo"), await repoWith("other-repo")];
    await owner.commit("mine", { "claimed.do.json": JSON.stringify({ api: { v: "async () => 'owner'" } }) });
    expect((await owner.git("push", "objects", "main")).code).toBe(0);
    await other.commit("theirs", { "claimed.do.json": JSON.stringify({ api: { v: "async () => 'other'" } }) });
    const refused = await other.git("push", "objects", "main");
    expect(refused.code).not.toBe(0);
    expect(remoteLines(refused).join("\n")).toContain("claimed.do: published from the repository owner-repo, not from other-repo; nothing was published (push with -o take-over=claimed.do to take it over)");
    expect((await e2e.call("claimed.do", "v")).body.result).toBe("owner");
    expect((await other.git("push", "-o", "take-over=claimed.do", "objects", "main")).code).toBe(0);
    expect((await e2e.call("claimed.do", "v")).body.result).toBe("other");
  });
});
