import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, type E2E } from "../support/e2e.ts";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({}, ["--with-esbuild"]);
  const token = await e2e.token();
  const response = await fetch(`${e2e.server.url}/build.do`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}` },
    body: JSON.stringify({
      api: {
        transform: "async (code, loader) => (await $.esbuild.transform(code, { loader })).code",
        bundle: "async (files) => (await $.esbuild.build({ entry: '/index.ts', files })).code",
      },
    }),
  });
  expect(response.status).toBe(201);
});
afterAll(async () => {
  await e2e?.stop();
});

describe("$.esbuild through esbuild.do (esbuild-wasm in its own Worker)", () => {
  it("transforms TypeScript and JSX", async () => {
    expect((await e2e.call("build.do", "transform", ["const n: number = 1", "ts"])).body.result).toBe("const n = 1;\n");
    expect((await e2e.call("build.do", "transform", ["export default <b>hi</b>", "jsx"])).body.result).toContain('React.createElement("b", null, "hi")');
  });

  it("bundles files held in memory", async () => {
    const files = { "/index.ts": "import { add } from './math.ts'; export const three: number = add(1, 2);", "/math.ts": "export const add = (a: number, b: number) => a + b;" };
    const code = (await e2e.call("build.do", "bundle", [files])).body.result as string;
    expect(code).toContain("var add = (a, b) => a + b;");
    expect(code).toContain("var three = add(1, 2);");
  });

  it("reports esbuild's own error for code that does not compile", async () => {
    const failed = await e2e.call("build.do", "transform", ["const = ;", "ts"]);
    expect(failed.status).toBe(500);
    expect(String(failed.body.detail)).toMatch(/Expected identifier|Unexpected/);
  });
});
