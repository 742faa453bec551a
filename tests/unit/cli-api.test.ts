// The CLI's HTTP client against a real HTTP server answering with the server's own problem bodies.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "../../cli/api.ts";
import { CliError, EXIT } from "../../cli/errors.ts";
import { invalid, problemResponse } from "../../core/index.ts";

let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer(async (_, res) => {
    // The server's real answer to a definition with two located problems.
    const answer = problemResponse(invalid([
      { path: "/api/hello", code: "syntax-error", message: "Unexpected token", file: "hello.do/api/hello.js", line: 3, column: 5 },
      { path: "/config/limits", code: "invalid-type", message: "expected an object" },
    ]));
    res.writeHead(answer.status, { "content-type": answer.headers.get("content-type")! });
    res.end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe("the CLI's requests", () => {
  it("print every located problem of a 422 at file:line:col (or its JSON pointer), exit 1", async () => {
    const failure = await request({ url }, "PUT", "/hello.do", {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CliError);
    expect((failure as CliError).exitCode).toBe(EXIT.problems);
    expect((failure as CliError).message.split("\n")).toEqual([
      "the definition has 2 problem(s)",
      "hello.do/api/hello.js:3:5 Unexpected token",
      "/config/limits expected an object (422 definition-invalid)",
    ]);
  });
});
