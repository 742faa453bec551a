// The git remote at full fidelity, with the real git CLI on protocol v2 and v0 and with dulwich: shallow clones and
// fetches (depth, deepen, since, exclude, unshallow), partial clones (blob:none, blob:limit, tree:0) and the later
// fetches of what they left out, peeled tags and ref prefixes; every clone `git fsck --strict` clean.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";
import { workingCopy, type WorkingCopy } from "../support/git.ts";

const run = promisify(execFile);
let e2e: E2E;
let source: WorkingCopy;
let reader: WorkingCopy;
let url: string;
let commits: string[];
// Debian's python3-dulwich lives with Debian's python (.ci/run installs it); a python of another manager may lack it.
const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

beforeAll(async () => {
  e2e = await startE2E();
  url = `${e2e.server.url}/_/git/fidelity.git`;
  const token = await e2e.token();
  source = await workingCopy({ remote: url, token });
  commits = [];
  for (let i = 1; i <= 5; i++) commits.push(await source.commit(`c${i}`, { "v.do.json": `{"api":{"hi":"async () => ${i}"}}\n`, "notes/big.txt": `${"x".repeat(5000)}${i}\n`, "small.txt": `${i}\n` }));
  await source.git("tag", "-a", "v1.0.0", "-m", "release", commits[3]!);
  expect((await source.git("push", "objects", "main", "v1.0.0")).code).toBe(0);
  // Each clone is made by this working copy's git (its identity and token), in a folder of its own.
  reader = await workingCopy({ token });
}, 120_000);
// The server went away once in a loaded CI run (connection refused mid-push): its own account of why is printed
// with the first failure, so the next failure says whether the supervisor restarted it and what it saw.
let reported = false;
afterEach((context) => {
  if (reported || context.task.result?.state !== "fail") return;
  reported = true;
  console.log(`the server's last output:\n${e2e?.server.output().slice(-6000)}`);
});
afterAll(async () => {
  source?.remove();
  reader?.remove();
  await e2e?.stop();
});

/** `git [config…] clone [options…] <url> <name>` in the reader's folder. */
const clone = async (name: string, options: string[], config: string[] = []) => {
  const result = await reader.git(...config, "clone", "-q", ...options, url, name);
  expect(result.code, result.stderr).toBe(0);
  return join(reader.dir, name);
};
const count = async (dir: string) => Number((await reader.git("-C", dir, "rev-list", "--count", "HEAD")).stdout.trim());
const shallowLines = (dir: string) => (existsSync(join(dir, ".git", "shallow")) ? readFileSync(join(dir, ".git", "shallow"), "utf8").trim().split("\n") : []);
const fsckClean = async (dir: string) => {
  const fsck = await reader.git("-C", dir, "fsck", "--strict", "--no-dangling");
  expect(fsck.code, `${fsck.stdout}${fsck.stderr}`).toBe(0);
};

describe.each(["2", "0"])("shallow clones and fetches on protocol v%s", (version) => {
  const v = ["-c", `protocol.version=${version}`];
  it("clones --depth 1, deepens by 2, then unshallows, fsck-clean at every step", async () => {
    const dir = await clone(`depth-v${version}`, ["--depth", "1"], v);
    expect(await count(dir)).toBe(1);
    expect(shallowLines(dir)).toEqual([commits[4]]);
    await fsckClean(dir);
    expect((await reader.git(...v, "-C", dir, "fetch", "-q", "--deepen", "2")).code).toBe(0);
    expect(await count(dir)).toBe(3);
    expect(shallowLines(dir)).toEqual([commits[2]]);
    await fsckClean(dir);
    expect((await reader.git(...v, "-C", dir, "fetch", "-q", "--unshallow")).code).toBe(0);
    expect(await count(dir)).toBe(5);
    expect(shallowLines(dir)).toEqual([]);
    await fsckClean(dir);
  });

  it("clones --shallow-exclude a tag and --shallow-since a date", async () => {
    const excluded = await clone(`exclude-v${version}`, ["--shallow-exclude", "v1.0.0"], v);
    expect(await count(excluded)).toBe(1);
    await fsckClean(excluded);
    // Since the third commit's time: the commits at least that new, as git itself counts them.
    const third = (await source.git("log", "-1", "--format=%ct", commits[2]!)).stdout.trim();
    const expected = Number((await source.git("rev-list", "--count", `--since=${third}`, "main")).stdout.trim());
    const since = await clone(`since-v${version}`, [`--shallow-since=${third}`], v);
    expect(await count(since)).toBe(expected);
    expect(expected).toBeGreaterThanOrEqual(3);
    await fsckClean(since);
  });
});

describe("partial clones", () => {
  it("clones --filter=blob:none and fetches an old file's blob when it is read", async () => {
    const dir = await clone("blobless", ["--filter=blob:none"]);
    expect(await count(dir)).toBe(5);
    const missing = (await reader.git("-C", dir, "rev-list", "--objects", "--missing=print", "--all")).stdout.split("\n").filter((line) => line.startsWith("?"));
    expect(missing.length).toBeGreaterThan(0);
    expect((await reader.git("-C", dir, "show", `${commits[1]}:v.do.json`)).stdout).toBe('{"api":{"hi":"async () => 2"}}\n');
    await fsckClean(dir);
  });

  it("leaves out blobs over a size with blob:limit, and every tree with tree:0", async () => {
    const limited = await clone("limited", ["--filter=blob:limit=1k", "--no-checkout"]);
    const missing = (await reader.git("-C", limited, "rev-list", "--objects", "--missing=print", "--all")).stdout.split("\n").filter((line) => line.startsWith("?"));
    expect(missing).toHaveLength(5);
    const treeless = await clone("treeless", ["--filter=tree:0"]);
    expect(await count(treeless)).toBe(5);
    expect((await reader.git("-C", treeless, "log", "--format=%s", "--stat", "-1", commits[0]!)).stdout).toContain("3 files changed");
  });
});

describe("refs", () => {
  it("advertises peeled tags on v0 and v2, and v2 lists only the prefixes asked for", async () => {
    const peeledLine = `${commits[3]}\trefs/tags/v1.0.0^{}`;
    for (const version of ["0", "2"]) expect((await reader.git("-c", `protocol.version=${version}`, "ls-remote", url)).stdout).toContain(peeledLine);
    const traced = await run("git", ["-c", `http.extraHeader=Authorization: Bearer ${await e2e.token()}`, "-c", "protocol.version=2", "ls-remote", "--tags", url], { env: { ...process.env, GIT_TRACE_PACKET: "1" } });
    expect(traced.stderr).toContain("version 2");
    expect(traced.stderr).toContain("ref-prefix refs/tags/");
    expect(traced.stdout).not.toContain("refs/heads/main");
    expect(traced.stdout).toContain("refs/tags/v1.0.0");
  });
});

describe("a second client: dulwich", () => {
  it("clones with depth=1, fsck-clean", async () => {
    const target = join(reader.dir, "dulwich-depth");
    const script = "import sys\nfrom dulwich import porcelain\nporcelain.clone(sys.argv[1], sys.argv[2], depth=1, username='git', password=sys.argv[3], errstream=open('/dev/null','wb'))\n";
    await run(PYTHON, ["-c", script, url, target, await e2e.token()]);
    // dulwich also wants the tag: its commit (the fourth) is a root at depth 1 too, so the fifth is whole and the
    // fourth is the boundary.
    expect(await count(target)).toBe(2);
    expect(shallowLines(target)).toEqual([commits[3]]);
    await fsckClean(target);
  });
});

describe("many pushes", () => {
  it("stays clonable and fsck-clean while repacks merge its packs", async () => {
    for (let i = 6; i <= 17; i++) {
      commits.push(await source.commit(`c${i}`, { "v.do.json": `{"api":{"hi":"async () => ${i}"}}\n`, "small.txt": `${i}\n` }));
      const push = await source.git("push", "objects", "main");
      expect(push.code, push.stderr).toBe(0);
      // A clone in between pushes reads whatever packs are listed at that moment.
      if (i === 12) await fsckClean(await clone("between-repacks", []));
    }
    const dir = await clone("after-repacks", []);
    expect(await count(dir)).toBe(17);
    await fsckClean(dir);
    const shallow = await clone("after-repacks-shallow", ["--depth", "1"]);
    await fsckClean(shallow);
  });
});

describe("incremental fetches negotiate what the client has", () => {
  // git sends `done` with its first haves when it has few to send (v0), so v0 shows the final ACK, v2 a round.
  it.each(["0", "2"])("on protocol v%s: the new commits only, their base acknowledged", async (version) => {
    const v = ["-c", `protocol.version=${version}`];
    const dir = await clone(`incremental-v${version}`, [], v);
    const before = await count(dir);
    for (let i = 0; i < 3; i++) {
      commits.push(await source.commit(`more v${version} ${i}`, { "small.txt": `v${version} ${i}\n` }));
      expect((await source.git("push", "objects", "main")).code).toBe(0);
    }
    const traced = await run("git", [...v, "-c", `http.extraHeader=Authorization: Bearer ${await e2e.token()}`, "-C", dir, "fetch", "origin"], { env: { ...process.env, GIT_TRACE_PACKET: "1" } });
    expect(traced.stderr).toMatch(version === "0" ? /want [0-9a-f]{40} multi_ack_detailed[\s\S]*fetch-pack< ACK [0-9a-f]{40}/ : /acknowledgments[\s\S]*ACK [0-9a-f]{40}[\s\S]*ready/);
    expect((await reader.git("-C", dir, "rev-list", "--count", "origin/main")).stdout.trim()).toBe(String(before + 3));
    // Only what the three commits brought came over: far fewer objects than the whole history holds.
    const received = /Unpacking objects: 100% \(\d+\/(\d+)\)|Total (\d+)/.exec(traced.stderr);
    if (received) expect(Number(received[1] ?? received[2])).toBeLessThan(20);
    await fsckClean(dir);
  });
});
