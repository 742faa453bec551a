// How commands speak: people get lines on stdout and progress on stderr; `--json` gets one JSON document (or one per
// line when following) on stdout and nothing else there.
export interface Output {
  json: boolean;
  /** The result: `human` lines for people, `data` for `--json`. */
  result(human: string | string[], data: unknown): void;
  /** A step of a long operation (stderr; silent under --json). */
  progress(message: string): void;
  /** One record of a stream (`logs --follow`): a line, or one JSON object per line. */
  record(human: string, data: unknown): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(human, data) {
      if (json) process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      else {
        const text = Array.isArray(human) ? human.join("\n") : human;
        if (text) process.stdout.write(`${text}\n`);
      }
    },
    progress(message) {
      if (!json) process.stderr.write(`${message}\n`);
    },
    record(human, data) {
      process.stdout.write(`${json ? JSON.stringify(data) : human}\n`);
    },
  };
}

/** Columns padded to their widest cell. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ").trimEnd());
}
