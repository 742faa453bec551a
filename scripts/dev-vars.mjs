// Local secrets: `.dev.vars` (read by wrangler dev), given a random JWT_SECRET on first use.
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

/** The local vars, writing a fresh random JWT_SECRET into `.dev.vars` when there is none. */
export function ensureDevVars() {
  if (!existsSync(DEV_VARS)) {
    // Exclusive create: when several servers start at once, one writes the secret and every one reads the same.
    try {
      writeFileSync(DEV_VARS, `# Local secrets for wrangler dev (not committed).\nJWT_SECRET=${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
  }
  const text = readFileSync(DEV_VARS, "utf8");
  const vars = parseDevVars(text);
  if (!vars.JWT_SECRET) {
    vars.JWT_SECRET = randomBytes(32).toString("hex");
    appendFileSync(DEV_VARS, `${text.endsWith("\n") ? "" : "\n"}JWT_SECRET=${vars.JWT_SECRET}\n`);
  }
  return vars;
}
