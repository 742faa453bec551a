import { describe, expect, it } from "vitest";
import { PRELUDE_SOURCE } from "../../runtime/executor/sandbox/prelude-text.ts";
import { preludeModuleText } from "../../scripts/sandbox-text.ts";

describe("the sandbox prelude's module text", () => {
  it("is the current build of prelude.ts (run npm run build:sandbox after changing it)", async () => {
    expect(PRELUDE_SOURCE).toBe(await preludeModuleText());
  });

  it("imports nothing but cloudflare:workers and declares no global", () => {
    const imports = [...PRELUDE_SOURCE.matchAll(/^import .* from "([^"]+)";$/gm)].map((match) => match[1]);
    expect(imports).toEqual(["cloudflare:workers"]);
    expect(PRELUDE_SOURCE).not.toMatch(/globalThis\.\w+\s*=/);
  });
});
