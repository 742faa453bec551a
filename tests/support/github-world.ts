// The world of the GitHub end-to-end tests: a git host (git http-backend) holding acme/objects, a stand-in for GitHub
// that enforces its documented limits, and npm start with the repository connected as a GitHub App (installation 77).
// Each test file that calls useGitHubWorld() gets its own; the bindings below are live (ESM), set by its beforeAll.
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { startE2E, type E2E } from "./e2e.ts";
import { startFakeGitHub, type FakeGitHub } from "./fake-github.ts";
import { deliver, eventually, pushPayload, type Repository } from "./github-deliveries.ts";
import { startGitHttpServer, type GitHttpServer } from "./git-http-server.ts";
import { workingCopy, type WorkingCopy } from "./git.ts";
import type { InboxCounts } from "../../control-plane/sources/job-inbox.ts";


export const SECRET = "webhook-secret-0123456789";
export const GIT_TOKEN = "git-host-token";
export let e2e: E2E;
export let github: FakeGitHub;
export let gitServer: GitHttpServer;
export let root: string;
export let copy: WorkingCopy;
export let repo: Repository;
export let hook: string;
export let admin: string;

export const bare = () => join(root, "acme", "objects.git");
/** Commits in the working copy and pushes to the "GitHub" repository (the local git server's disk). */
export async function pushToGitHub(files: Record<string, string | null>, message: string, ref = "main", force = false): Promise<string> {
  const sha = await copy.commit(message, files);
  execFileSync("git", ["-C", copy.dir, "push", "-q", ...(force ? ["--force"] : []), bare(), `HEAD:refs/heads/${ref}`]);
  return sha;
}
export const remoteHead = (ref: string) => execFileSync("git", ["-C", bare(), "rev-parse", ref]).toString().trim();
/** The check runs GitHub holds for the main repository (created, whatever was retried). */
export const checkRuns = (sha?: string) => github.checkRuns.filter((run) => run.repo === "acme/objects" && (!sha || run.head_sha === sha));
// The main repository is connected as a GitHub App (only apps may create check runs); installation 77.
export const app = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
export const greeting = (text: string) => JSON.stringify({ api: { hello: `async () => '${text}'` } });

/**
 * Declares `bytes` of body, sends only the headers and returns the status. The server decides from the declared
 * length before reading anything, so nothing is written into a socket it may close: the answer never races a reset.
 */
export function statusOfOversizedPost(url: string, bytes: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const request = httpRequest(url, { method: "POST", headers: { "content-type": "application/json", "content-length": bytes, "x-github-event": "push", "x-hub-signature-256": "sha256=0" } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
      request.destroy();
    });
    request.on("error", (error) => reject(error));
    request.flushHeaders();
  });
}


/** What the repository's inbox has taken, finished and still holds (`GET /_/repos/acme/objects`). */
export const jobs = async (): Promise<InboxCounts> =>
  ((await (await fetch(`${e2e.server.url}/_/repos/acme/objects`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { jobs: InboxCounts }).jobs;

/**
 * The barrier a "nothing else happened" assertion needs instead of a sleep: sends a delivery that makes one job (the
 * deletion of a branch that never existed: no GitHub call) and waits until the inbox has taken it and holds nothing.
 * Deliveries reach the inbox in order through the queue, so whatever came before has been taken (or never was).
 */
export async function settle(): Promise<InboxCounts> {
  const before = await jobs();
  const response = await deliver(hook, { event: "push", payload: pushPayload(repo, `refs/heads/barrier-${before.accepted}`, "1".repeat(40), "0".repeat(40)), secret: SECRET });
  expect(response.status).toBe(202);
  return eventually(async () => {
    const now = await jobs();
    expect(now.accepted).toBeGreaterThan(before.accepted);
    expect(now.waiting).toBe(0);
    return now;
  });
}

/** Registers the world of one test file (its beforeAll and afterAll). */
export function useGitHubWorld(): void {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "objects-github-"));
    execFileSync("git", ["init", "-q", "--bare", "-b", "main", bare()]);
    gitServer = await startGitHttpServer(root, GIT_TOKEN, "installation-token-77");
    github = await startFakeGitHub();
    e2e = await startE2E({ ALLOW_PRIVATE_URLS: "true", JOB_RETRY_DELAY_SECONDS: "0" });
    admin = await e2e.token();
    copy = await workingCopy({ fixture: "acme" });
    await pushToGitHub({}, "first");
    repo = { id: 4242, fullName: "acme/objects", cloneUrl: `${gitServer.url}/acme/objects.git` };
    const connect = await fetch(`${e2e.server.url}/_/repos`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}` },
      body: JSON.stringify({ name: repo.fullName, cloneUrl: repo.cloneUrl, defaultBranch: "main", webhookSecret: SECRET, apiBaseUrl: github.url, auth: { app: { appId: 12345, privateKey: app.privateKey, installationId: 77 } } }),
    });
    if (connect.status !== 201) throw new Error(`connect: ${connect.status} ${await connect.text()}\n${e2e.server.output()}`);
    hook = ((await connect.json()) as { webhookUrl: string }).webhookUrl;
  });
  afterAll(async () => {
    if (process.env.DEBUG_E2E) console.log(e2e?.server.output().slice(-6000));
    copy?.remove();
    await e2e?.stop();
    await github?.close();
    await gitServer?.close();
    rmSync(root, { recursive: true, force: true });
  });
}
