// Rounds of push → refused push → clone on a busy machine, every clone `git fsck --strict` clean and at the last
// accepted commit (issue 17 saw one failed fsck in about ten runs). GIT_STRESS_ROUNDS=200 runs the full stress with
// a core kept spinning; the suite runs 10 rounds, on a machine its other test files already keep busy.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";
import { workingCopy, type WorkingCopy } from "../support/git.ts";

const FULL = process.env.GIT_STRESS_ROUNDS !== undefined;
const ROUNDS = Number(process.env.GIT_STRESS_ROUNDS ?? 10);
let e2e: E2E;
let repo: WorkingCopy;
let reader: WorkingCopy;
let busy: ChildProcess | undefined;

beforeAll(async () => {
  e2e = await startE2E();
  const token = await e2e.token();
  repo = await workingCopy({ remote: `${e2e.server.url}/_/git/stress.git`, token });
  reader = await workingCopy({ token });
  // A busy machine: a process spinning on a core for the whole run (the suite's own load does it otherwise).
  if (FULL) busy = spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" });
});
afterAll(async () => {
  busy?.kill("SIGKILL");
  repo?.remove();
  reader?.remove();
  await e2e?.stop();
});

describe(`${ROUNDS} rounds of push, refused push, clone`, () => {
  it("leaves every clone fsck-clean at the last accepted commit", async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const good = await repo.commit(`good ${round}`, { "s.do.json": `{"api":{"round":"async () => ${round}"}}\n`, [`r${round % 5}.txt`]: `${round}\n` });
      const push = await repo.git("push", "objects", "main");
      expect(push.code, push.stderr).toBe(0);
      await repo.commit(`bad ${round}`, { "s.do.json": '{"api":{"round":"async () => {"}}\n', [`r${round % 5}.txt`]: `bad ${round}\n` });
      const refused = await repo.git("push", "objects", "main");
      expect(refused.code, `round ${round}: the bad push was accepted`).not.toBe(0);
      await repo.git("reset", "-q", "--hard", "HEAD~1");
      const dir = join(reader.dir, `clone-${round}`);
      const clone = await reader.git("clone", "-q", `${e2e.server.url}/_/git/stress.git`, dir);
      expect(clone.code, clone.stderr).toBe(0);
      expect((await reader.git("-C", dir, "rev-parse", "HEAD")).stdout.trim(), `round ${round}`).toBe(good);
      const fsck = await reader.git("-C", dir, "fsck", "--strict", "--no-dangling");
      expect(fsck.code, `round ${round}: ${fsck.stdout}${fsck.stderr}`).toBe(0);
    }
  }, 60_000 + ROUNDS * 5_000);
});
