// `objects login`, `objects logout`, `objects token`: the token the other commands send, checked before it is stored.
import { createInterface } from "node:readline/promises";
import type { WhoamiResponse } from "../../schemas/index.ts";
import { request } from "../api.ts";
import { CliError, EXIT } from "../errors.ts";
import type { Command } from "../command.ts";
import { readSettings, serverUrl, storedToken, writeSettings } from "../settings.ts";

async function readToken(flag: string | undefined): Promise<string> {
  if (flag) return flag;
  if (process.env.OBJECTS_TOKEN) return process.env.OBJECTS_TOKEN;
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString().trim();
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await prompt.question("token (npm run -s token on a local server): ")).trim();
  } finally {
    prompt.close();
  }
}

export const login: Command = {
  usage: "login [--url <url>] [--token <token>]",
  summary: "check a token against the server and store it with the URL (token from --token, OBJECTS_TOKEN, stdin or a prompt)",
  options: { token: { type: "string" } },
  async run({ values, out }) {
    const url = serverUrl(values.url as string | undefined);
    const token = await readToken(values.token as string | undefined);
    if (!token) throw new CliError("no token given: objects login --token <token>", EXIT.usage);
    out.progress(`checking the token with ${url}`);
    const who = await request<WhoamiResponse>({ url, token }, "GET", "/_/whoami");
    const path = writeSettings({ ...readSettings(), url, token, subject: who.subject });
    out.result(`signed in to ${url} as ${who.subject} (scope ${who.scopes.join(" ")}); stored in ${path}`, { url, subject: who.subject, scopes: who.scopes, config: path });
  },
};

export const logout: Command = {
  usage: "logout",
  summary: "forget the stored token",
  async run({ out }) {
    const { token: _token, subject: _subject, ...rest } = readSettings();
    const path = writeSettings(rest);
    out.result(`signed out (${path})`, { config: path });
  },
};

export const token: Command = {
  usage: "token",
  summary: "print the stored token (for scripts: TOKEN=$(objects token))",
  async run({ out }) {
    const stored = storedToken();
    if (!stored) throw new CliError("no token stored: run objects login", EXIT.auth);
    out.result(stored, { token: stored, url: serverUrl() });
  },
};
