// Where the CLI keeps the server URL and token: flags, then OBJECTS_URL / OBJECTS_TOKEN, then the config file
// (`$OBJECTS_CONFIG`, else `$XDG_CONFIG_HOME/objects/config.json`, else `~/.config/objects/config.json`, mode 0600).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { CliError, EXIT } from "./errors.ts";
import { localServerUrl } from "./local-server.ts";

export const DEFAULT_URL = "http://localhost:8787";

export interface StoredSettings {
  url?: string;
  token?: string;
  subject?: string;
}

export const configPath = () => process.env.OBJECTS_CONFIG ?? join(process.env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "objects", "config.json");

export function readSettings(): StoredSettings {
  const path = configPath();
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, "utf8")) as StoredSettings;
  } catch {
    throw new CliError(`${path} is not valid JSON: fix or delete it, then run objects login`, EXIT.usage);
  }
}

export function writeSettings(settings: StoredSettings): string {
  const path = configPath();
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

/** The server to talk to: `--url`, OBJECTS_URL, the stored one, a running local `npm start`, else the local default. */
export const serverUrl = (flag?: string) => (flag ?? (process.env.OBJECTS_URL || undefined) ?? readSettings().url ?? localServerUrl() ?? DEFAULT_URL).replace(/\/+$/, "");

/** The token: OBJECTS_TOKEN, else the stored one; undefined when neither is set. */
export const storedToken = () => process.env.OBJECTS_TOKEN ?? readSettings().token;

export function requireToken(): string {
  const token = storedToken();
  if (!token) throw new CliError("not signed in: run objects login --token <token> (or set OBJECTS_TOKEN)", EXIT.auth);
  return token;
}
