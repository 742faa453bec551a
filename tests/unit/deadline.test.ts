import { createServer, type Server } from "node:http";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deadlineHttp, httpGitSource } from "../../control-plane/git/remote-source.ts";
import { githubError } from "../../control-plane/github/client.ts";
import { DeadlineError, fetchWithDeadline, ObjectsError } from "../../core/index.ts";

// A server that accepts every request and never answers (`/hang`), or sends headers and then stalls (`/stall`).
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url?.startsWith("/stall")) response.writeHead(200, { "content-type": "application/json" }).write('{"partial":');
    else if (request.url?.startsWith("/ok")) response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const caught = async (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);

describe("outbound deadlines", () => {
  it("end a call that is accepted and never answered, and one whose body stalls", async () => {
    const send = fetchWithDeadline("github", 150);
    const started = Date.now();
    expect(await caught(send(`${base}/hang`))).toBeInstanceOf(DeadlineError);
    expect(await caught(send(`${base}/stall`))).toBeInstanceOf(DeadlineError);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await (await send(`${base}/ok`)).json()).toEqual({ ok: true });
  });

  it("turn a hung GitHub request into a retryable github-timeout", async () => {
    const octokit = new Octokit({ baseUrl: base, request: { retries: 0, fetch: fetchWithDeadline("github", 150) } });
    const error = githubError(await caught(octokit.checks.create({ owner: "a", repo: "b", name: "x", head_sha: "0".repeat(40) })), "the check run");
    expect(error).toMatchObject({ code: "github-timeout", retryable: true, message: "GitHub did not answer the check run within 150 ms" });
  });

  it("turn a hung git remote into a retryable git-remote-timeout", async () => {
    const source = httpGitSource(`${base}/hang/repo.git`, async () => "token", deadlineHttp(fetchWithDeadline("git", 150)));
    const error = (await caught(source.listRefs())) as ObjectsError;
    expect(error).toBeInstanceOf(ObjectsError);
    expect(error).toMatchObject({ code: "git-remote-timeout", retryable: true });
  });
});
