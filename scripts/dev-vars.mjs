// Local secrets: `.dev.vars` (read by wrangler dev), given a random JWT_SECRET and SESSION_SECRET on first use.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const DEV_VARS = `${ROOT}.dev.vars`;

/** Parses KEY=value lines (quotes optional), ignoring comments and blank lines. */
export function parseDevVars(text) {
  const vars = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match && !line.trimStart().startsWith("#")) vars[match[1]] = match[2].replace(/^(["'])(.*)\1$/, "$2");
  }
  return vars;
}

const GENERATED = ["JWT_SECRET", "SESSION_SECRET"];
const fresh = () => randomBytes(32).toString("hex");

/** The local vars, writing fresh random secrets into `.dev.vars` for those it lacks. */
export function ensureDevVars() {
  if (!existsSync(DEV_VARS)) {
    // Exclusive create: when several servers start at once, one writes the secret and every one reads the same.
    try {
      const lines = GENERATED.map((name) => `${name}=${fresh()}\n`).join("");
      writeFileSync(DEV_VARS, `# Local secrets for wrangler dev (not committed).\n${lines}`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
  }
  const text = readFileSync(DEV_VARS, "utf8");
  const vars = parseDevVars(text);
  const missing = GENERATED.filter((name) => !vars[name]);
  for (const name of missing) vars[name] = fresh();
  if (missing.length) appendFileSync(DEV_VARS, `${text.endsWith("\n") ? "" : "\n"}${missing.map((name) => `${name}=${vars[name]}\n`).join("")}`);
  return vars;
}
