import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { concat, FLUSH, pktLine } from "../../control-plane/git/protocol/pkt-line.ts";
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
async function repoWith(name: string, options: { fixture?: string; token?: string } = {}): Promise<WorkingCopy> {
  const copy = await workingCopy({ remote: remote(name), token: options.token ?? admin, ...(options.fixture ? { fixture: options.fixture } : {}) });
  // Many repositories here push the same fixture: each says it takes those ids over from the last one.
  for (const id of ["hello.do", "crm.acme.com"]) await copy.git("config", "--add", "push.pushOption", `take-over=${id}`);
  copies.push(copy);
  return copy;
}

describe("the git remote", () => {
  it("clones back the same commits, and git fsck finds nothing wrong", async () => {
    const repo = await repoWith("roundtrip", { fixture: "acme" });
    await repo.commit("one");
    await repo.commit("two", { "notes.txt": "hello\n" });
    await repo.git("tag", "-a", "-m", "annotated", "v2.0.0");
    expect((await repo.git("push", "objects", "main", "--tags")).code).toBe(0);
    const clone = await repoWith("unused");
    const cloned = await clone.git("clone", "-q", remote("roundtrip"), "copy");
    expect(cloned.code).toBe(0);
    const copyDir = join(clone.dir, "copy");
    const log = async (dir: string) => (await promisify(execFile)("git", ["-C", dir, "log", "--format=%H %s", "--all"])).stdout;
    expect(await log(copyDir)).toBe(await log(repo.dir));
    expect((await promisify(execFile)("git", ["-C", copyDir, "fsck", "--strict"])).stderr).toBe("");
    expect((await promisify(execFile)("git", ["-C", copyDir, "tag"])).stdout.trim()).toBe("v2.0.0");
  });

  it("fetches only what changed after a clone", async () => {
    const repo = await repoWith("fetching", { fixture: "acme" });
    const base = await repo.commit("one");
    await repo.git("push", "objects", "main");
    const clone = await repoWith("unused2");
    await clone.git("clone", "-q", remote("fetching"), "copy");
    const head = await repo.commit("three", { "more.txt": "x\n" });
    await repo.git("push", "objects", "main");
    const pulled = await clone.git("-C", "copy", "pull", "-q", "--ff-only");
    expect(pulled.code).toBe(0);
    expect((await clone.git("-C", "copy", "rev-parse", "HEAD")).stdout.trim()).toBe(head);
    // The pack for a client that has the first commit is a fraction of a full one.
    const upload = async (haves: string[]) => {
      const body = concat([pktLine(`want ${head} side-band-64k ofs-delta\n`), FLUSH, ...haves.map((have) => pktLine(`have ${have}\n`)), pktLine("done\n")]);
      const response = await fetch(`${remote("fetching")}/git-upload-pack`, { method: "POST", body, headers: { authorization: `Bearer ${admin}`, "content-type": "application/x-git-upload-pack-request" } });
      return new Uint8Array(await response.arrayBuffer());
    };
    const [full, incremental] = [await upload([]), await upload([base])];
    expect(new TextDecoder().decode(incremental.subarray(0, 49))).toBe(`0031ACK ${base}\n`);
    expect(incremental.byteLength).toBeLessThan(full.byteLength / 2);
  });

  it("takes a repository of 2,000 files and a 5 MB binary, and gives it back", async () => {
    const repo = await repoWith("large", { fixture: "acme" });
    const files: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) files[`docs/page-${i}.md`] = `# Page ${i}\n`;
    await repo.commit("many files", files);
    writeFileSync(join(repo.dir, "blob.bin"), randomBytes(5 * 1024 * 1024));
    const head = await repo.commit("binary");
    const push = await repo.git("push", "objects", "main");
    expect(push.code).toBe(0);
    expect(remoteLines(push).filter((line) => / (published|unchanged) /.test(line)).map((line) => line.split(/\s+/)[0])).toEqual(["crm.acme.com", "hello.do"]);
    const clone = await repoWith("unused3");
    expect((await clone.git("clone", "-q", remote("large"), "copy")).code).toBe(0);
    expect((await clone.git("-C", "copy", "rev-parse", "HEAD")).stdout.trim()).toBe(head);
    expect((await clone.git("-C", "copy", "ls-files")).stdout.trim().split("\n")).toHaveLength(2000 + 10);
  });

  it("lets one of two racing pushes to one branch win and rejects the other", async () => {
    const base = await repoWith("race", { fixture: "acme" });
    await base.commit("base");
    await base.git("push", "objects", "main");
    const [a, b] = [await repoWith("race-a"), await repoWith("race-b")];
    for (const copy of [a, b]) {
      await copy.git("pull", "-q", remote("race"), "main");
      await copy.git("remote", "set-url", "objects", remote("race"));
    }
    await a.commit("from a", { "hello.do.json": JSON.stringify({ api: { hello: "async () => 'a'" } }) });
    await b.commit("from b", { "hello.do.json": JSON.stringify({ api: { hello: "async () => 'b'" } }) });
    const [pushA, pushB] = await Promise.all([a.git("push", "objects", "main"), b.git("push", "objects", "main")]);
    expect([pushA.code, pushB.code].sort()).toEqual([0, 1]);
    const loser = pushA.code === 0 ? pushB : pushA;
    expect(loser.stderr).toMatch(/rejected|fetch first|non-fast-forward/);
    const winner = pushA.code === 0 ? "a" : "b";
    expect((await e2e.call("hello.do", "hello")).body.result).toBe(winner);
  });

  it("takes pushes to two repositories at once", async () => {
    const [one, two] = [await repoWith("twin-one"), await repoWith("twin-two")];
    await one.commit("one", { "one.do.json": JSON.stringify({ api: { n: "async () => 1" } }) });
    await two.commit("two", { "two.do.json": JSON.stringify({ api: { n: "async () => 2" } }) });
    const pushes = await Promise.all([one.git("push", "objects", "main"), two.git("push", "objects", "main")]);
    expect(pushes.map((push) => push.code)).toEqual([0, 0]);
    expect((await e2e.call("one.do", "n")).body.result).toBe(1);
    expect((await e2e.call("two.do", "n")).body.result).toBe(2);
  });
});

describe("hostile trees", () => {
  it("refuses a definition that is a symlink, with a clear error", async () => {
    const repo = await repoWith("links");
    symlinkSync("/etc/passwd", join(repo.dir, "evil.do.json"));
    symlinkSync("../elsewhere", join(repo.dir, "harmless-link"));
    await repo.commit("links", { "fine.do.json": JSON.stringify({ api: { ok: "async () => 1" } }) });
    const push = await repo.git("push", "objects", "main");
    expect(push.code).not.toBe(0);
    expect(remoteLines(push).join("\n")).toContain("evil.do.json:1:1 is a symlink: definition files must be regular files");
    expect((await e2e.call("fine.do", "ok")).status).toBe(404);
  });

  it("ignores a submodule with a warning and never fetches it", async () => {
    const repo = await repoWith("modules");
    await repo.commit("defs", { "mod.do.json": JSON.stringify({ api: { ok: "async () => 'mod'" } }) });
    const head = (await repo.git("rev-parse", "HEAD")).stdout.trim();
    await repo.git("update-index", "--add", "--cacheinfo", `160000,${head},vendor/lib`);
    await repo.git("commit", "-q", "-m", "submodule");
    const push = await repo.git("push", "objects", "main");
    expect(push.code).toBe(0);
    expect(remoteLines(push).join("\n")).toContain("vendor/lib submodules are never fetched");
    expect((await e2e.call("mod.do", "ok")).body.result).toBe("mod");
  });

  it("refuses tree entries named .. or .git", async () => {
    const repo = await repoWith("dotdot");
    const run = async (input: string, ...args: string[]) => {
      const child = execFile("git", args, { cwd: repo.dir });
      child.stdin!.end(input);
      return new Promise<string>((resolve) => child.stdout!.on("data", (data) => resolve(String(data).trim())));
    };
    const blob = await run('{"api":{"x":"async () => 1"}}', "hash-object", "-w", "--stdin");
    const inner = await run(`100644 blob ${blob}\tevil.do.json\n`, "mktree");
    const tree = await run(`040000 tree ${inner}\t..\n040000 tree ${inner}\t.git\n100644 blob ${blob}\tok.do.json\n`, "mktree", "--missing");
    const commit = await run("hostile\n", "commit-tree", tree);
    await repo.git("update-ref", "refs/heads/main", commit);
    const push = await repo.git("push", "objects", "main");
    expect(push.code).not.toBe(0);
    expect(remoteLines(push).join("\n")).toMatch(/(\.\.|\.git):1:1 this tree entry's name is not a safe path/);
    expect((await e2e.call("ok.do", "x")).status).toBe(404);
  });
});

describe("bounded work", () => {
  it("stops walking a git bomb (a tree of a million entries in a few objects) and refuses it", async () => {
    const repo = await repoWith("bomb");
    const run = (input: string, ...args: string[]) =>
      new Promise<string>((resolve, reject) => {
        const child = execFile("git", args, { cwd: repo.dir }, (error, stdout) => (error ? reject(error) : resolve(stdout.trim())));
        child.stdin!.end(input);
      });
    let tree = await run(`100644 blob ${await run("x\n", "hash-object", "-w", "--stdin")}\tf\n`, "mktree");
    for (let level = 0; level < 6; level++) {
      tree = await run(Array.from({ length: 10 }, (_, i) => `040000 tree ${tree}\td${i}\n`).join(""), "mktree");
    }
    await repo.git("update-ref", "refs/heads/main", await run("bomb\n", "commit-tree", tree));
    const started = Date.now();
    const push = await repo.git("push", "objects", "main");
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/tree-too-large|more than 20000 entries/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("stops reading a gzip bomb at the push cap (413)", async () => {
    const bomb = gzipSync(Buffer.alloc(80 * 1024 * 1024));
    const response = await fetch(`${remote("gzip")}/git-receive-pack`, { method: "POST", body: bomb, headers: { authorization: `Bearer ${admin}`, "content-encoding": "gzip", "content-type": "application/x-git-receive-pack-request" } });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { code: string }).code).toBe("push-too-large");
  });

  it("refuses a commit that drops every object at once, and keeps them all live", async () => {
    const repo = await repoWith("wipeout");
    await repo.commit("one", { "keep.do.json": JSON.stringify({ api: { ok: "async () => 'kept'" } }) });
    await repo.git("push", "objects", "main");
    await repo.commit("nothing left", { "keep.do.json": null, "notes.txt": "empty\n" });
    const push = await repo.git("push", "objects", "main");
    expect(push.code).not.toBe(0);
    expect(remoteLines(push).join("\n")).toMatch(/has no definitions at all, while @latest serves 1 object/);
    expect((await e2e.call("keep.do", "ok")).body.result).toBe("kept");
  });
});

describe("authentication", () => {
  it("answers an anonymous push with 401 and a Basic challenge, so git asks for credentials", async () => {
    const response = await fetch(`${remote("anon")}/info/refs?service=git-receive-pack`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Basic realm="objects.do"');
    const repo = await workingCopy({ remote: remote("anon") });
    copies.push(repo);
    await repo.commit("x", { "x.do.json": "{}" });
    const push = await repo.git("push", "objects", "main");
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/could not read Username|Authentication failed|401/);
  });

  it("takes the token as the password of HTTP Basic (git's credential helpers)", async () => {
    const repo = await workingCopy({ remote: remote("basic").replace("http://", `http://git:${admin}@`) });
    copies.push(repo);
    await repo.commit("x", { "basic.do.json": JSON.stringify({ api: { ok: "async () => 'basic'" } }) });
    expect((await repo.git("push", "objects", "main")).code).toBe(0);
    expect((await e2e.call("basic.do", "ok")).body.result).toBe("basic");
  });

  it("refuses a push with an object the token's scope does not cover, naming it, and publishes nothing", async () => {
    const repo = await repoWith("scoped", { token: await e2e.token("*.acme.com") });
    await repo.commit("x", { "crm.scoped.acme.com.do.json": "{}", "outside.do.json": "{}" });
    const push = await repo.git("push", "objects", "main");
    expect(push.code).not.toBe(0);
    expect(remoteLines(push)).toContain("refs/heads/main: outside.do: the token's scope does not cover this object; nothing was published");
    expect((await e2e.call("crm.scoped.acme.com", "x")).status).toBe(404);
  });
});
