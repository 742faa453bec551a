// The shape of one CLI command: its usage line, its options (node:util parseArgs) and what it does.
import type { ParseArgsConfig } from "node:util";
import type { Output } from "./output.ts";

export interface CommandContext {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  out: Output;
}

export interface Command {
  usage: string;
  summary: string;
  options?: NonNullable<ParseArgsConfig["options"]>;
  /** How many positionals it needs at least. */
  required?: number;
  run(context: CommandContext): Promise<void>;
}
