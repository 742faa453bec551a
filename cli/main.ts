// The `objects` CLI: parses the command line, runs one command, and turns every failure into one clear message and
// a documented exit code (errors.ts). `--json` on every command prints one JSON document for scripts.
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { Command } from "./command.ts";
import { CliError, EXIT } from "./errors.ts";
import { createOutput, escapedLines } from "./output.ts";
import { parseFailure, unknownCommand } from "./suggest.ts";

// Loaded on use: a command that never compiles (call, versions, logs) starts without the compiler's modules.
export const COMMANDS: Record<string, () => Promise<Command>> = {
  init: async () => (await import("./commands/init.ts")).init,
  validate: async () => (await import("./commands/validate.ts")).validate,
  login: async () => (await import("./commands/auth.ts")).login,
  logout: async () => (await import("./commands/auth.ts")).logout,
  token: async () => (await import("./commands/auth.ts")).token,
  push: async () => (await import("./commands/push.ts")).push,
  call: async () => (await import("./commands/call.ts")).call,
  versions: async () => (await import("./commands/versions.ts")).versions,
  rollback: async () => (await import("./commands/versions.ts")).rollback,
  promote: async () => (await import("./commands/versions.ts")).promote,
  release: async () => (await import("./commands/versions.ts")).release,
  diff: async () => (await import("./commands/diff.ts")).diff,
  logs: async () => (await import("./commands/logs.ts")).logs,
  usage: async () => (await import("./commands/usage.ts")).usage,
  retire: async () => (await import("./commands/usage.ts")).retire,
  rollout: async () => (await import("./commands/rollout.ts")).rollout,
  open: async () => (await import("./commands/open.ts")).open,
  previews: async () => (await import("./commands/previews.ts")).previews,
};

const GLOBAL_OPTIONS: NonNullable<ParseArgsConfig["options"]> = {
  json: { type: "boolean" },
  url: { type: "string" },
  help: { type: "boolean", short: "h" },
};

async function help(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  return [
    "objects: the objects.do command line",
    "",
    "usage: objects <command> [options] [--json] [--url <server>]",
    "",
    ...commands.flatMap((command) => [`  ${command.usage}`, `      ${command.summary}`]),
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
    process.stdout.write(`${await help()}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === "--version") {
    process.stdout.write("objects 0.1.0\n");
    return EXIT.ok;
  }
  try {
    const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!load) throw new CliError(unknownCommand(name, [...Object.keys(COMMANDS), "help"]), EXIT.usage);
    const command = await load();
    const options = { ...GLOBAL_OPTIONS, ...command.options };
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new CliError(`${parseFailure(error as Error, rest, Object.keys(options))}: usage: objects ${command.usage}`, EXIT.usage);
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
      process.stderr.write(`objects: ${escapedLines(error.message)}\n`);
      return error.exitCode;
    }
    // Anything else is a bug of the CLI: still one line, with a hint, never a stack.
    process.stderr.write(`objects: unexpected error: ${escapedLines(String((error as Error).message ?? error))} (set OBJECTS_DEBUG=1 for details)\n`);
    if (process.env.OBJECTS_DEBUG) console.error(error);
    return EXIT.problems;
  }
}
