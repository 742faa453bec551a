// README's table of problem codes, printed from the catalogue (core/error-codes.ts). `npm run docs:errors`
// rewrites the table between its markers; tests/unit/error-codes.test.ts fails when README is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { ERROR_CODES, STATUS_OF_KIND, type ErrorCodeSpec } from "../core/index.ts";

export const TABLE_START = "<!-- error-codes:start (npm run docs:errors) -->";
export const TABLE_END = "<!-- error-codes:end -->";

/** One row per code, in catalogue order: code, HTTP status, retryable, meaning. */
export function errorTable(): string {
  const rows = Object.entries(ERROR_CODES as Record<string, ErrorCodeSpec>).map(([code, spec]) => {
    const retryable = spec.retryable ?? spec.kind === "unavailable";
    return `| \`${code}\` | ${STATUS_OF_KIND[spec.kind]} | ${retryable ? "yes" : ""} | ${spec.meaning.replaceAll("|", "\\|")} |`;
  });
  return [TABLE_START, "| code | status | retry | when |", "|---|---|---|---|", ...rows, TABLE_END].join("\n");
}

/** README with its table replaced by the catalogue's. */
export function withErrorTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${TABLE_START} … ${TABLE_END} section`);
  return `${readme.slice(0, start)}${errorTable()}${readme.slice(end + TABLE_END.length)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = new URL("../README.md", import.meta.url);
  writeFileSync(path, withErrorTable(readFileSync(path, "utf8")));
}
