import { describe, expect, it } from "vitest";
import { PRELUDE_SOURCE } from "../../runtime/facet/prelude-text.ts";
import { DASHBOARD_JS } from "../../control-plane/dashboard/client-text.ts";
import { moduleText } from "../../scripts/module-texts.ts";

describe("the module texts", () => {
  it.each([
    ["the sandbox prelude", "prelude", PRELUDE_SOURCE],
    ["the dashboard script", "dashboard", DASHBOARD_JS],
  ] as const)("hold the current build of %s (run npm run build:texts after changing it)", async (_, name, text) => {
    expect(text).toBe(await moduleText(name));
  });

  it("the prelude imports nothing but cloudflare:workers and declares no global", () => {
    const imports = [...PRELUDE_SOURCE.matchAll(/^import .* from "([^"]+)";$/gm)].map((match) => match[1]);
    expect(imports).toEqual(["cloudflare:workers"]);
    expect(PRELUDE_SOURCE).not.toMatch(/globalThis\.\w+\s*=/);
  });

  it("the dashboard script is one classic script that sets nothing from the API as HTML", () => {
    expect(DASHBOARD_JS).not.toMatch(/^\s*(import|export)\s/m);
    expect(DASHBOARD_JS).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
