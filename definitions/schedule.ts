// Schedule patterns (pure): `every.hour`, `every.5.minutes`, `every.day.at9am`, `every.monday.at9am`, or 5-field cron,
// turned into a cron expression that is known to fire.
import { Cron } from "croner";

const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
export const MAX_SCHEDULES = 50;

export type ScheduleCron = { ok: true; cron: string } | { ok: false; message: string };

/** `at9am` → [0, 9]; `at930am` → [30, 9]; `at1215pm` → [15, 12]. */
function timeOf(word: string): [number, number] | null {
  const match = /^at(\d{1,2})(\d{2})?(am|pm)$/.exec(word);
  if (!match) return null;
  const hour12 = Number(match[1]);
  const minute = Number(match[2] ?? 0);
  if (hour12 < 1 || hour12 > 12 || minute > 59) return null;
  return [minute, (hour12 % 12) + (match[3] === "pm" ? 12 : 0)];
}

function everyToCron(parts: string[]): string | null {
  const [unit, second, third] = parts;
  if (parts.length === 2 && /^\d+$/.test(unit!) && (second === "minutes" || second === "hours")) {
    const n = Number(unit);
    if (second === "minutes" && n >= 1 && n <= 59) return `*/${n} * * * *`;
    if (second === "hours" && n >= 1 && n <= 23) return `0 */${n} * * *`;
    return null;
  }
  const at = second === undefined ? [0, 0] : parts.length === 2 ? timeOf(second) : null;
  if (!at || third !== undefined) return null;
  const [minute, hour] = at;
  if (unit === "minute" && second === undefined) return "* * * * *";
  if (unit === "hour" && second === undefined) return "0 * * * *";
  if (unit === "day") return `${minute} ${hour} * * *`;
  if (unit === "weekday") return `${minute} ${hour} * * 1-5`;
  if (unit === "week") return `${minute} ${hour} * * 0`;
  if (unit === "month") return `${minute} ${hour} 1 * *`;
  const day = DAYS.indexOf(unit ?? "");
  return day >= 0 ? `${minute} ${hour} * * ${day}` : null;
}

/**
 * The cron expression of a schedule pattern, or why it is refused: an unknown `every.…` form, a cron that is not
 * exactly five fields (no every-second schedules), a syntax error, or one that never fires (`0 0 30 2 *`).
 */
export function scheduleCron(pattern: string): ScheduleCron {
  let cron: string;
  if (pattern.startsWith("every.")) {
    const parsed = everyToCron(pattern.slice("every.".length).split("."));
    if (!parsed) return { ok: false, message: `"${pattern}" is not a schedule: use every.minute|hour|day, every.5.minutes, every.day.at9am, every.monday.at9am or 5-field cron` };
    cron = parsed;
  } else {
    if (pattern.trim().split(/\s+/).length !== 5) return { ok: false, message: `"${pattern}" is not 5-field cron (minute hour day month weekday)` };
    cron = pattern.trim();
  }
  try {
    // Bounded search: croner looks ahead a limited time, so a date that never comes (30 February) gives null.
    const next = new Cron(cron, { timezone: "UTC", paused: true }).nextRun(new Date());
    if (!next) return { ok: false, message: `"${pattern}" never fires` };
  } catch (error) {
    return { ok: false, message: `"${pattern}": ${(error as Error).message}` };
  }
  return { ok: true, cron };
}

/** The next time a cron expression fires after `after`, or null. */
export function nextRunAfter(cron: string, after: Date): Date | null {
  return new Cron(cron, { timezone: "UTC", paused: true }).nextRun(after);
}
