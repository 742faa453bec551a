import { describe, expect, it } from "vitest";
import { compileDefinition, nextRunAfter, scheduleCron } from "../../definitions/index.ts";

describe("schedule patterns", () => {
  it.each([
    ["every.minute", "* * * * *"],
    ["every.5.minutes", "*/5 * * * *"],
    ["every.hour", "0 * * * *"],
    ["every.2.hours", "0 */2 * * *"],
    ["every.day", "0 0 * * *"],
    ["every.day.at9am", "0 9 * * *"],
    ["every.day.at930pm", "30 21 * * *"],
    ["every.day.at12am", "0 0 * * *"],
    ["every.monday.at9am", "0 9 * * 1"],
    ["every.weekday.at8am", "0 8 * * 1-5"],
    ["every.month", "0 0 1 * *"],
    ["15 3 * * *", "15 3 * * *"],
  ])("%s → %s", (pattern, cron) => {
    expect(scheduleCron(pattern)).toEqual({ ok: true, cron });
  });

  it.each(["*/0 * * * *", "0 0 30 2 *", "0 0 31 4 *", "* * * * * *", "every.second", "every.61.minutes", "every.day.at13pm", "every.funday", "bogus"])("refuses %s (D11)", (pattern) => {
    expect(scheduleCron(pattern).ok).toBe(false);
  });

  it("computes the next run in UTC", () => {
    expect(nextRunAfter("0 9 * * 1", new Date("2026-01-01T00:00:00Z"))?.toISOString()).toBe("2026-01-05T09:00:00.000Z");
  });

  it("refuses a definition naming a never-firing schedule, with a 422 issue naming it", () => {
    const result = compileDefinition({ schedules: { "0 0 30 2 *": "async () => {}", "every.hour": "async () => {}" } }, { id: "x.do" });
    expect(result).toEqual({ ok: false, issues: [{ path: "/schedules/0 0 30 2 *", code: "schedule-invalid", message: '"0 0 30 2 *" never fires' }] });
  });
});
