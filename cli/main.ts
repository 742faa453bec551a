// The `objects` CLI: parses the command line, runs one command, and turns every failure into one clear message and
// a documented exit code (errors.ts). `--json` on every command prints one JSON document for scripts.
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { Command } from "./command.ts";
import { CliError, EXIT } from "./errors.ts";
import { createOutput } from "./output.ts";
import { login, logout, token } from "./commands/auth.ts";
import { call } from "./commands/call.ts";
import { init } from "./commands/init.ts";
import { logs } from "./commands/logs.ts";
import { open } from "./commands/open.ts";
import { push } from "./commands/push.ts";
import { validate } from "./commands/validate.ts";
import { promote, rollback, versions } from "./commands/versions.ts";

export const COMMANDS: Record<string, Command> = { init, validate, login, logout, token, push, call, versions, rollback, promote, logs, open };

const GLOBAL_OPTIONS: NonNullable<ParseArgsConfig["options"]> = {
  json: { type: "boolean" },
  url: { type: "string" },
  help: { type: "boolean", short: "h" },
};

function help(): string {
  return [
    "objects: the objects.do command line",
    "",
    "usage: objects <command> [options] [--json] [--url <server>]",
    "",
    ...Object.values(COMMANDS).flatMap((command) => [`  ${command.usage}`, `      ${command.summary}`]),
    "",
    "exit codes: 0 ok, 1 problems (invalid definitions, refused push, failed call), 2 usage, 3 not signed in or not",
    "allowed, 4 not found, 5 server unreachable or failing",
  ].join("\n");
}

/** Runs one command line; answers the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const json = rest.includes("--json");
  const out = createOutput(json);
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(`${help()}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === "--version") {
    process.stdout.write("objects 0.1.0\n");
    return EXIT.ok;
  }
  try {
    const command = COMMANDS[name];
    if (!command) throw new CliError(`unknown command "${name}": run objects help`, EXIT.usage);
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
    } catch (error) {
      throw new CliError(`${(error as Error).message.split("\n")[0]}: usage: objects ${command.usage}`, EXIT.usage);
    }
    if (parsed.values.help) {
      process.stdout.write(`usage: objects ${command.usage}\n${command.summary}\n`);
      return EXIT.ok;
    }
    if (parsed.positionals.length < (command.required ?? 0)) throw new CliError(`missing arguments: usage: objects ${command.usage}`, EXIT.usage);
    await command.run({ positionals: parsed.positionals, values: parsed.values as Record<string, string | boolean | undefined>, out });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CliError) {
      if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: error.message, exitCode: error.exitCode, ...(error.data !== undefined ? { data: error.data } : {}) }, null, 2)}\n`);
      process.stderr.write(`objects: ${error.message}\n`);
      return error.exitCode;
    }
    // Anything else is a bug of the CLI: still one line, with a hint, never a stack.
    process.stderr.write(`objects: unexpected error: ${(error as Error).message ?? String(error)} (set OBJECTS_DEBUG=1 for details)\n`);
    if (process.env.OBJECTS_DEBUG) console.error(error);
    return EXIT.problems;
  }
}
