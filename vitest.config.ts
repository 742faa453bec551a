// Three projects, all run by `npm test`: unit (node), workers (inside workerd, real R2/DO/Loader), e2e (real processes).
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Two files at a time, even on 2 cores (vitest's default there is one): e2e files mostly wait on a server, git or a
    // browser, so a second file overlaps them. 16 min → 12.4 min for npm test here, 960/960 green.
    maxWorkers: 2,
    projects: [
      {
        // Pure code only; the alias just lets modules that also hold a workerd class be imported in Node.
        resolve: { alias: { "cloudflare:workers": new URL("./tests/support/cloudflare-workers-shim.ts", import.meta.url).pathname } },
        test: { name: "unit", include: ["tests/unit/**/*.test.ts", "tests/contract/**/*.test.ts"], environment: "node", setupFiles: ["tests/support/regex-checker.ts"], testTimeout: 30_000 },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.jsonc" },
            miniflare: {
              bindings: {
                JWT_SECRET: "workers-test-secret",
                SESSION_SECRET: "workers-session-secret",
                // Small limits so the runaway-code tests finish quickly.
                CALL_TIMEOUT_MS: "3000",
                CALL_TICK_BUDGET: "20000000",
                PLATFORM_HOSTS: "objects.test,hub.objects.do,localhost",
                HOSTNAMES: JSON.stringify({ "crm.example.test": "hosted.do", "old.example.test": "hosted.do@v1.0.0", "*.tenants.test": "*.tenants.test" }),
              },
              // A second Worker bound to the hub, as a user's Worker would be: one service binding named DO.
              serviceBindings: { HUB_CLIENT: "hub-client" },
              workers: [
                {
                  name: "hub-client",
                  modules: true,
                  scriptPath: "./tests/fixtures/workers/hub-client.js",
                  compatibilityDate: "2026-04-01",
                  serviceBindings: { DO: { name: "vitest-plugin-runner-workers", entrypoint: "Hub" } },
                },
              ],
            },
          }),
        ],
        test: { name: "workers", include: ["tests/workers/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 },
      },
      { test: { name: "e2e", include: ["tests/e2e/**/*.test.ts"], environment: "node", testTimeout: 120_000, hookTimeout: 120_000 } },
    ],
  },
});
