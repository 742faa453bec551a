import { describe, expect, it } from "vitest";
import { api, token } from "../support/worker-client.ts";

describe("PUT a definition, then call it", () => {
  it("answers the seed's hello example", async () => {
    const put = await api.put("my-app.do", { api: { hello: "async (name) => `Hello ${name}!`" } }, token);
    expect(put.status).toBe(201);
    const body = (await put.json()) as { id: string; hash: string; urls: { rpc: string } };
    expect(body.id).toBe("my-app.do");
    expect(body.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(body.urls.rpc).toBe("http://objects.test/my-app.do/rpc");
    const call = await api.rpc("my-app.do", "hello", ["World"]);
    expect(await call.json()).toEqual({ result: "Hello World!" });
  });
});
