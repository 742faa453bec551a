import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpGitSource } from "../../control-plane/git/remote-source.ts";
import { startGitHttpServer, type GitHttpServer } from "../support/git-http-server.ts";
import { workingCopy, type WorkingCopy } from "../support/git.ts";

let root: string;
let server: GitHttpServer;
let copy: WorkingCopy;
let head: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "objects-remote-"));
  execFileSync("git", ["init", "-q", "--bare", "-b", "main", join(root, "acme.git")]);
  server = await startGitHttpServer(root, "s3cret");
  copy = await workingCopy({ fixture: "acme" });
  head = await copy.commit("first");
  await copy.git("tag", "v1.0.0");
  await copy.git("push", "-q", join(root, "acme.git"), "main", "v1.0.0", `${head}:refs/pull/7/head`);
});
afterAll(async () => {
  copy?.remove();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("reading a repository from a real git server (git http-backend)", () => {
  it("lists heads, tags and pull request heads", async () => {
    const refs = await httpGitSource(`${server.url}/acme.git`, async () => "s3cret").listRefs();
    expect(Object.fromEntries(refs)).toMatchObject({ "refs/heads/main": head, "refs/tags/v1.0.0": head, "refs/pull/7/head": head });
  });

  it("fetches one ref shallowly and reads its definition files", async () => {
    const { commit, entries } = await httpGitSource(`${server.url}/acme.git`, async () => "s3cret").readCommit("refs/pull/7/head");
    expect(commit).toMatchObject({ oid: head, author: "Ada Lovelace <ada@example.com>", message: "first" });
    expect(entries.map((entry) => entry.path).sort()).toEqual([
      "crm.acme.com/api/customers/create.js",
      "crm.acme.com/api/customers/list.js",
      "crm.acme.com/api/ping.js",
      "crm.acme.com/do.yaml",
      "crm.acme.com/events/Customer.created.js",
      "crm.acme.com/schedules/every.hour.js",
      "crm.acme.com/site/index.md",
      "hello.do.json",
    ]);
  });

  it("tells a refusal (wrong token: not retryable) from an unreachable host (retryable)", async () => {
    await expect(httpGitSource(`${server.url}/acme.git`, async () => "wrong").listRefs()).rejects.toMatchObject({ code: "git-remote-refused", retryable: false });
    await expect(httpGitSource("http://127.0.0.1:1/acme.git", async () => "x").listRefs()).rejects.toMatchObject({ code: "git-remote-unavailable", retryable: true });
  });
});

describe("a remote whose HEAD names a branch that does not exist", () => {
  it("still lists its refs, and says plainly why its branches cannot be read", async () => {
    const bare = join(root, "headless.git");
    execFileSync("git", ["init", "-q", "--bare", "-b", "main", bare]);
    await copy.git("push", "-q", bare, "HEAD:refs/heads/dev");
    execFileSync("git", ["-C", bare, "symbolic-ref", "HEAD", "refs/heads/missing"]);
    const source = httpGitSource(`${server.url}/headless.git`, async () => "s3cret");
    expect([...(await source.listRefs()).keys()]).toContain("refs/heads/dev");
    // isomorphic-git resolves HEAD before it stores the pack: the job fails with this, reported on the commit.
    await expect(source.readCommit("refs/heads/dev")).rejects.toMatchObject({ code: "git-remote-head-missing", retryable: false, message: expect.stringContaining("its HEAD names a branch that does not exist") });
  });
});
