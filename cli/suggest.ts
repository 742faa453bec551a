// "Did you mean …": the nearest known word to a mistyped command or option (edit distance, fastest-levenshtein).
import { distance } from "fastest-levenshtein";

/** The closest of `known` to `typed`, when it is close enough to be a typo (a third of its length, at most 3). */
export function nearest(typed: string, known: readonly string[]): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(typed.length / 3)));
  let best: { word: string; score: number } | undefined;
  for (const word of known) {
    const score = distance(typed, word);
    if (score <= limit && (!best || score < best.score)) best = { word, score };
  }
  return best?.word;
}

const hint = (word: string | undefined) => (word ? ` (did you mean ${word}?)` : "");

/** The message of a command name nobody knows. */
export const unknownCommand = (typed: string, known: readonly string[]) => `unknown command "${typed}"${hint(nearest(typed, known))}: run objects help`;

/** One line for what node:util's parseArgs refused, in place of its own text (which quotes and wraps unevenly). */
export function parseFailure(error: Error & { code?: string }, args: readonly string[], options: readonly string[]): string {
  const flags = options.map((name) => `--${name}`);
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const typed = args.find((arg) => arg.startsWith("-") && !flags.includes(arg.split("=")[0]!))?.split("=")[0] ?? "";
    return `unknown option ${typed}${hint(nearest(typed, flags))}`;
  }
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const name = /'(?:-\w, )?(--?[\w-]+)/.exec(error.message)?.[1] ?? "an option";
    return / argument missing$/.test(error.message) ? `option ${name} needs a value` : `option ${name} takes no value`;
  }
  if (error.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return "too many arguments";
  return error.message.split("\n")[0]!;
}
