// Checks worker-configuration.d.ts against wrangler.jsonc. `wrangler types --check` reads the local .dev.vars (so
// it fails on a developer's machine and passes in a clean clone); this generates with the committed command, which
// reads no secrets file, into a file beside it (the types import the Worker by relative path) and compares all but
// the command in the header.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";

const committedPath = "worker-configuration.d.ts";
const freshPath = `.types-check-${process.pid}.d.ts`;
try {
  execFileSync("npx", ["wrangler", "types", freshPath, "--strict-vars", "false", "--env-file", "/dev/null"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  const withoutCommand = (text) => text.replace(/running `[^`]*`/, "running `…`");
  if (withoutCommand(readFileSync(freshPath, "utf8")) !== withoutCommand(readFileSync(committedPath, "utf8"))) {
    console.error(`${committedPath} is out of date with wrangler.jsonc: run \`npm run types\` and commit it.`);
    process.exitCode = 1;
  } else {
    console.log(`${committedPath} is up to date.`);
  }
} finally {
  rmSync(freshPath, { force: true });
}
