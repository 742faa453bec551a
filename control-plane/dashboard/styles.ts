// The dashboard's stylesheet: system fonts, two columns, readable tables; nothing fetched from elsewhere. Nothing may
// be wider than its pane from 1024 to 1600 px: tables are laid out fixed, long text wraps or ends in an ellipsis.
import { CHART_COLOURS } from "./chart-colours.ts";

export const dashboardCss = `
[hidden] { display: none !important; }
:root { color-scheme: light dark; --line: #8884; --muted: #888; --accent: #2563eb; --bad: #dc2626; --good: #16a34a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, sans-serif; }
header { display: flex; align-items: center; gap: 1rem; padding: .6rem 1rem; border-bottom: 1px solid var(--line); }
header h1 { font-size: 1.1rem; margin: 0; flex: 1; }
main { display: grid; grid-template-columns: 16rem minmax(0, 1fr); min-height: calc(100vh - 3rem); }
nav { border-right: 1px solid var(--line); padding: 0 .5rem; overflow: hidden; min-width: 0; }
nav ul { list-style: none; padding: 0; margin: 0; }
nav li button { all: unset; box-sizing: border-box; display: block; width: 100%; padding: .4rem .5rem; border-radius: 4px; cursor: pointer; overflow: hidden; text-overflow: ellipsis; }
nav li small { display: block; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
nav li button[aria-current="true"], nav li button:hover { background: #8882; }
nav small, .muted { color: var(--muted); }
article { padding: 0 1.2rem 2rem; min-width: 0; }
h2 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
td.clip { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
col.narrow { width: 2.8rem; } col.at { width: 6.6rem; } col.hash { width: 7.8rem; } col.action { width: 8.8rem; } col.kind { width: 6rem; }
col.refs { width: 5.5rem; } col.contract { width: 10rem; } col.actions { width: 11rem; }
td button.copy { padding: 0 .3rem; margin-left: .2rem; font-size: .8em; }
.chart { margin: .4rem 0 1rem; } .chart svg { display: block; width: 100%; height: 8rem; } .chart.tall svg { height: auto; } .chart figcaption { color: var(--muted); }
.key { margin-left: .6rem; white-space: nowrap; }
${CHART_COLOURS.map((colour) => `.swatch[data-colour="${colour}"] { color: ${colour}; }`).join("\n")}
code, .hash { font-family: ui-monospace, monospace; font-size: .9em; }
button { white-space: nowrap; font: inherit; padding: .2rem .6rem; border-radius: 4px; border: 1px solid var(--line); background: none; cursor: pointer; }
button.primary { background: var(--accent); color: white; border-color: var(--accent); }
.breaking { color: var(--bad); font-weight: 600; }
.error { color: var(--bad); }
.live { color: var(--good); font-weight: 600; }
details pre { margin: .3rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
#notice { position: fixed; bottom: 1rem; right: 1rem; margin: 0; padding: .5rem .8rem; border-radius: 4px; background: #111d; color: white; }
#notice:empty { display: none; }
#sign-in { max-width: 36rem; margin: 3rem auto; }
#sign-in input { width: 24rem; max-width: 100%; }
`;
