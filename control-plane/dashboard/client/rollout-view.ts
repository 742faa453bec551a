// An object's rollout: where it stands, both versions' request rate, error rate and p99 on one chart with the steps
// marked, the steps taken with each analysis, and Pause, Resume, Promote and Abort (each confirmed).
import type { Rollout, RolloutSeriesPoint, RolloutStatusResponse } from "../../../schemas/index.ts";
import { analysisText, spanText } from "../../../schemas/text.ts";
import { CANARY_COLOUR, STABLE_COLOUR } from "../chart-colours.ts";
import { api } from "./api.ts";
import { key, svg } from "./charts.ts";
import { el, notice, objectPath, short, table, when } from "./dom.ts";

const WIDTH = 600;
const BAND = 60;
const GAP = 14;
const SLOT_S = 10;
type Arm = "stable" | "canary";
const COLOUR: Record<Arm, string> = { stable: STABLE_COLOUR, canary: CANARY_COLOUR };

/** One band of the chart: a value per slot for each side, scaled to the band's own top. */
function band(top: number, label: string, slots: number[], value: (slot: number, arm: Arm) => number | null, unit: string): SVGElement[] {
  const values = slots.flatMap((slot) => (["stable", "canary"] as const).map((arm) => value(slot, arm) ?? 0));
  const most = Math.max(1e-9, ...values);
  const x = (index: number) => (slots.length < 2 ? WIDTH / 2 : (index / (slots.length - 1)) * WIDTH);
  const title = svg("text", { x: 0, y: top - 3, "font-size": 10, fill: "#888" });
  title.textContent = `${label} (top ${unit === "%" ? `${(most * 100).toFixed(1)}%` : `${Math.round(most * 10) / 10} ${unit}`})`;
  const lines = (["stable", "canary"] as const).flatMap((arm) => {
    const points = slots.flatMap((slot, index) => {
      const v = value(slot, arm);
      return v === null ? [] : [[x(index), top + BAND - (v / most) * BAND] as const];
    });
    // A dot per slot, so a slot alone (no line to draw) still shows.
    return [svg("polyline", { points: points.map(([px, py]) => `${px},${py}`).join(" "), fill: "none", stroke: COLOUR[arm], "stroke-width": 2, "data-arm": arm, "data-band": label }), ...points.map(([cx, cy]) => svg("circle", { cx, cy, r: 2.5, fill: COLOUR[arm] }))];
  });
  return [title, svg("line", { x1: 0, y1: top + BAND, x2: WIDTH, y2: top + BAND, stroke: "#8888" }), ...lines];
}

/** Request rate, error rate and p99 of both sides per 10 s slot, with a mark where each step began. */
export function rolloutChart(rollout: Rollout, series: readonly RolloutSeriesPoint[]): HTMLElement {
  const slots = [...new Set(series.map((point) => point.slot))].sort((a, b) => a - b);
  const at = new Map(series.map((point) => [`${point.slot}:${point.arm}`, point]));
  const point = (slot: number, arm: Arm) => at.get(`${slot}:${arm}`);
  const height = 3 * (BAND + GAP);
  const first = slots[0] ?? 0;
  const span = Math.max(1, (slots.at(-1) ?? first) - first);
  const marks = rollout.history.filter((event) => event.action !== "waited").map((event) => {
    const x = Math.min(WIDTH, Math.max(0, ((Date.parse(event.at) - first) / span) * WIDTH));
    return svg("line", { x1: x, y1: 0, x2: x, y2: height, stroke: "#888", "stroke-dasharray": "2 3", "data-step": event.action });
  });
  const body = [
    ...band(GAP, "requests/s", slots, (slot, arm) => (point(slot, arm)?.calls ?? 0) / SLOT_S, "/s"),
    ...band(GAP + BAND + GAP, "error rate", slots, (slot, arm) => { const p = point(slot, arm); return p && p.calls ? p.failed / p.calls : null; }, "%"),
    ...band(GAP + 2 * (BAND + GAP), "p99", slots, (slot, arm) => point(slot, arm)?.p99Ms ?? null, "ms"),
    ...marks,
  ];
  const picture = svg("svg", { viewBox: `0 0 ${WIDTH} ${height}`, role: "img", "aria-label": "rollout: request rate, error rate and p99 of both versions" }, body);
  const total = (arm: Arm) => series.filter((p) => p.arm === arm).reduce((sum, p) => sum + p.calls, 0);
  return el("figure", { class: "chart tall", id: "rollout-chart", "data-stable-calls": String(total("stable")), "data-canary-calls": String(total("canary")) }, [
    picture as unknown as HTMLElement,
    el("figcaption", {}, ["Per 10 s; dashed lines: steps. ", key(STABLE_COLOUR, `stable ${short(rollout.stable)}`), " ", key(CANARY_COLOUR, `canary ${short(rollout.canary)}`)]),
  ]);
}

async function act(id: string, action: "pause" | "resume" | "promote" | "abort", done: () => Promise<void>): Promise<void> {
  const questions = { pause: "Pause the rollout? The split stays where it is.", resume: "Resume the rollout? The step runs a whole interval again.", promote: "Promote the canary now? Every call goes to it.", abort: "Abort the rollout? Every call goes back to the stable version." };
  if (!confirm(`${id}: ${questions[action]}`)) return;
  try {
    const { rollout } = await api<{ rollout: Rollout }>("POST", `${objectPath(id)}/rollout/${action}`);
    notice(`${id}: rollout ${rollout.status}`);
    await done();
  } catch (error) {
    notice(`${action} failed: ${(error as Error).message}`);
  }
}

/** The rollout section of an object's page; `done` redraws the page after a command. */
export async function rolloutSection(id: string, done: () => Promise<void>): Promise<HTMLElement> {
  const status = await api<RolloutStatusResponse>("GET", `${objectPath(id)}/rollout`).catch(() => null);
  const rollout = status?.rollout;
  if (!status || !rollout) return el("p", { class: "muted", id: "no-rollout", text: "No rollout: declare config.rollout, and the next change ramps up by steps." });
  const active = rollout.status === "progressing" || rollout.status === "paused";
  const button = (action: "pause" | "resume" | "promote" | "abort", label: string) => el("button", { type: "button", "data-action": action, onclick: () => act(id, action, done) }, [label]);
  const buttons = active ? [rollout.status === "paused" ? button("resume", "Resume") : button("pause", "Pause"), " ", button("promote", "Promote now"), " ", button("abort", "Abort")] : [];
  const state = active ? `${rollout.status} at ${rollout.weight}% (step ${rollout.step + 1} of ${rollout.policy.steps.length}, every ${spanText(rollout.policy.intervalMs)})${status.nextAnalysisAt ? `; next analysis ${when(status.nextAnalysisAt)}` : ""}` : `${rollout.status} ${when(rollout.endedAt)}: ${rollout.reason ?? ""}`;
  const steps = rollout.history.map((event) => el("tr", { "data-event": event.action }, [el("td", { text: when(event.at) }), el("td", { text: event.action }), el("td", { text: `${event.weight}%` }), el("td", { class: "clip", text: [event.by ? `by ${event.by}` : "", event.reason ?? "", event.analysis ? analysisText(event.analysis) : ""].filter(Boolean).join(" · ") })]));
  return el("section", { id: "rollout", "data-status": rollout.status, "data-weight": String(rollout.weight) }, [
    el("p", {}, [el("strong", { id: "rollout-state", text: state }), " ", ...buttons]),
    rolloutChart(rollout, status.series),
    table(["at", "event", "share", "detail"], steps, ["at", "kind", "kind", ""]),
  ]);
}
