// Prints the benchmark table and, with --write, records it in BENCHMARKS.md with the command and date.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { cpus } from "node:os";

export interface Row {
  case: string;
  value: string;
  ratio: string;
}

const marks = (section: string) => [`<!-- bench:${section} -->`, `<!-- /bench:${section} -->`] as const;

function table(rows: Row[]): string {
  return ["| case | measured | ratio |", "|---|---|---|", ...rows.map((row) => `| ${row.case} | ${row.value} | ${row.ratio} |`)].join("\n");
}

export function writeReport(rows: Row[], options: { write: boolean; command: string; server: string; section: string; connections: number; seconds: number }): void {
  const text = table(rows);
  const [MARK_START, MARK_END] = marks(options.section);
  console.log(`\n${text}\n`);
  if (!options.write) return;
  const section = [
    MARK_START,
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC with \`${options.command}\` on ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}.`,
    `Server: ${options.server}.${options.section.startsWith("git") ? " Client: the git CLI on the same machine." : ` Load: autocannon, ${options.connections} connections, ${options.seconds} s per run, same machine.`}`,
    "",
    text,
    MARK_END,
  ].join("\n");
  const path = new URL("../BENCHMARKS.md", import.meta.url);
  const current = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmarks\n\n";
  const next = current.includes(MARK_START)
    ? current.replace(new RegExp(`${MARK_START}[\\s\\S]*?${MARK_END}`), () => section)
    : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, next);
  console.log("recorded in BENCHMARKS.md");
}
