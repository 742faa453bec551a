// The last hour of an object's calls as two pictures: calls and errors per minute, every call counted, and p50 and
// p99 latency per minute for each ref, from the call log's sample. SVG built with the DOM (the CSP allows no inline code).
import type { CallMinute, CallRecord } from "../../../schemas/index.ts";
import { el } from "./dom.ts";
import { ERROR_COLOUR, OK_COLOUR, REF_COLOURS as PALETTE } from "../chart-colours.ts";

const SVG = "http://www.w3.org/2000/svg";
const MINUTES = 60;
const WIDTH = 600;
const HEIGHT = 120;

export function svg(tag: string, attributes: Record<string, string | number>, children: SVGElement[] = []): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  node.append(...children);
  return node;
}

/** The value below which `share` of the sorted values fall. */
const quantile = (sorted: number[], share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;

interface Minute {
  calls: number;
  errors: number;
  /** Durations by ref. */
  ms: Map<string, number[]>;
}

/** The slot of the last hour an instant falls in, or -1. */
const slotOf = (at: number, now: number) => {
  const ago = Math.floor((now - at) / 60_000);
  return ago < 0 || ago >= MINUTES ? -1 : MINUTES - 1 - ago;
};

/** Counts from the exact per-minute counts; latencies from the log's sample (its lines summarizing skipped calls have none). */
function minutesOf(counts: readonly CallMinute[], calls: readonly CallRecord[], now: number): Minute[] {
  const minutes: Minute[] = Array.from({ length: MINUTES }, () => ({ calls: 0, errors: 0, ms: new Map() }));
  for (const count of counts) {
    const slot = slotOf(Date.parse(count.minute), now);
    if (slot < 0) continue;
    minutes[slot]!.calls += count.calls;
    minutes[slot]!.errors += count.failed;
  }
  for (const call of calls) {
    const slot = slotOf(Date.parse(call.at), now);
    if (slot < 0 || call.ref === "*") continue;
    minutes[slot]!.ms.set(call.ref, [...(minutes[slot]!.ms.get(call.ref) ?? []), call.ms]);
  }
  return minutes;
}

function axisLabel(x: number, anchor: "start" | "end", text: string): SVGElement {
  const label = svg("text", { x, y: HEIGHT + 12, "font-size": 10, fill: "#888", "text-anchor": anchor });
  label.textContent = text;
  return label;
}

function chart(label: string, body: SVGElement[], legend: HTMLElement[]): HTMLElement {
  const picture = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT + 14}`, role: "img", "aria-label": label }, [
    svg("line", { x1: 0, y1: HEIGHT, x2: WIDTH, y2: HEIGHT, stroke: "#8888" }),
    ...body,
    axisLabel(0, "start", "60 min ago"),
    axisLabel(WIDTH, "end", "now"),
  ]);
  return el("figure", { class: "chart" }, [picture as unknown as HTMLElement, el("figcaption", {}, [label, " ", ...legend])]);
}

/** A legend entry; its swatch takes its colour from the stylesheet (`.swatch[data-colour]`). */
export const key = (colour: string, text: string) => el("span", { class: "key" }, [el("span", { class: "swatch", "data-colour": colour, text: "■" }), ` ${text}`]);


/** Both charts, or a line saying there were no calls in the last hour. */
export function callCharts(calls: readonly CallRecord[], counts: readonly CallMinute[], now = Date.now()): HTMLElement {
  const minutes = minutesOf(counts, calls, now);
  const total = minutes.reduce((sum, m) => sum + m.calls, 0);
  const errors = minutes.reduce((sum, m) => sum + m.errors, 0);
  const section = el("section", { id: "charts", "data-calls": String(total), "data-errors": String(errors) });
  if (total === 0) {
    section.append(el("p", { class: "muted", text: "No calls in the last hour." }));
    return section;
  }
  const slot = WIDTH / MINUTES;
  const most = Math.max(...minutes.map((m) => m.calls));
  const bars = minutes.flatMap((m, index) => {
    if (m.calls === 0) return [];
    const height = (m.calls / most) * HEIGHT;
    const bad = (m.errors / most) * HEIGHT;
    const attrs = { x: index * slot + 1, width: slot - 2, "data-minute": index - MINUTES + 1, "data-calls": m.calls, "data-errors": m.errors };
    return [svg("rect", { ...attrs, y: HEIGHT - height, height, fill: OK_COLOUR }), ...(m.errors ? [svg("rect", { x: attrs.x, width: attrs.width, y: HEIGHT - bad, height: bad, fill: ERROR_COLOUR, class: "errors" })] : [])];
  });
  const refs = [...new Set(calls.map((call) => call.ref))]
    .map((ref) => [ref, minutes.reduce((sum, m) => sum + (m.ms.get(ref)?.length ?? 0), 0)] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, PALETTE.length)
    .map(([ref]) => ref);
  const slowest = Math.max(1, ...minutes.flatMap((m) => [...m.ms.values()].flat()));
  const lines = refs.flatMap((ref, index) =>
    ([[0.5, "4 3"], [0.99, ""]] as const).flatMap(([share, dash]) => {
      const points = minutes.flatMap((m, minute) => {
        const ms = m.ms.get(ref);
        return ms?.length ? [[minute * slot + slot / 2, HEIGHT - (quantile([...ms].sort((a, b) => a - b), share) / slowest) * HEIGHT] as const] : [];
      });
      const colour = PALETTE[index]!;
      const line = svg("polyline", { points: points.map(([x, y]) => `${x},${y}`).join(" "), fill: "none", stroke: colour, "stroke-width": 2, "stroke-dasharray": dash, "data-ref": ref, "data-quantile": share === 0.5 ? "p50" : "p99" });
      // A dot per minute, so a minute alone (no line to draw) still shows.
      return [line, ...points.map(([x, y]) => svg("circle", { cx: x, cy: y, r: share === 0.5 ? 2 : 3, fill: colour }))];
    }),
  );
  section.append(
    chart(`Calls per minute, last hour: ${total} calls, ${errors} errors`, bars, [key(OK_COLOUR, "ok"), key(ERROR_COLOUR, "errors")]),
    chart(`Latency per minute (p50 dashed, p99 solid; top ${Math.round(slowest)} ms)`, lines, refs.map((ref, index) => key(PALETTE[index]!, `@${ref}`))),
    el("p", { class: "muted", text: "Calls and errors: every call, counted per minute. Latency: a sample, the call log's newest thousand calls." }),
  );
  return section;
}
