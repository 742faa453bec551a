// The charts' colours, shared by the script (charts.ts) and the stylesheet (the legend's swatches, by attribute: the
// CSP allows no inline style).
export const OK_COLOUR = "#16a34a";
export const ERROR_COLOUR = "#dc2626";
/** The refs' latency lines, in order of how often each ref was called. */
export const REF_COLOURS = ["#2563eb", "#9333ea", "#ea580c", "#0d9488"];
/** A rollout's two sides: the stable version and the canary. */
export const STABLE_COLOUR = "#64748b";
export const CANARY_COLOUR = "#d97706";
export const CHART_COLOURS = [OK_COLOUR, ERROR_COLOUR, ...REF_COLOURS, STABLE_COLOUR, CANARY_COLOUR];
