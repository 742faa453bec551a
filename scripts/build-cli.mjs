// `npm run build:cli` (and `npm pack`, through prepack): bundles the CLI with esbuild into dist/cli/, one chunk per
// lazily loaded command, so the installed `objects` runs on plain Node with no TypeScript loader (tsx) at run time.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
rmSync(`${root}dist/cli`, { recursive: true, force: true });
await build({
  entryPoints: { index: `${root}cli/index.ts` },
  outdir: `${root}dist/cli`,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  // ESM builds first: a UMD build (jsonc-parser's) hides its requires where a bundler cannot follow them.
  mainFields: ["module", "main"],
  target: "node20",
  // Packages written for CommonJS still call require(): give the bundle one.
  banner: { js: 'import { createRequire as __objectsRequire } from "node:module"; const require = __objectsRequire(import.meta.url);' },
  legalComments: "none",
  logLevel: "warning",
});
console.log(`wrote ${root}dist/cli`);
