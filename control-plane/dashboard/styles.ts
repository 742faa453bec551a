// The dashboard's stylesheet: system fonts, two columns, readable tables; nothing fetched from elsewhere.
export const dashboardCss = `
:root { color-scheme: light dark; --line: #8884; --muted: #888; --accent: #2563eb; --bad: #dc2626; --good: #16a34a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, sans-serif; }
header { display: flex; align-items: center; gap: 1rem; padding: .6rem 1rem; border-bottom: 1px solid var(--line); }
header h1 { font-size: 1.1rem; margin: 0; flex: 1; }
main { display: grid; grid-template-columns: minmax(14rem, 20rem) 1fr; min-height: calc(100vh - 3rem); }
nav { border-right: 1px solid var(--line); padding: 0 .5rem; overflow: auto; }
nav ul { list-style: none; padding: 0; margin: 0; }
nav li button { all: unset; display: block; width: 100%; padding: .4rem .5rem; border-radius: 4px; cursor: pointer; }
nav li button[aria-current="true"], nav li button:hover { background: #8882; }
nav small, .muted { color: var(--muted); }
article { padding: 0 1.2rem 2rem; overflow: auto; }
h2 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
code, .hash { font-family: ui-monospace, monospace; font-size: .9em; }
button { white-space: nowrap; font: inherit; padding: .2rem .6rem; border-radius: 4px; border: 1px solid var(--line); background: none; cursor: pointer; }
button.primary { background: var(--accent); color: white; border-color: var(--accent); }
.breaking { color: var(--bad); font-weight: 600; }
.error { color: var(--bad); }
.live { color: var(--good); font-weight: 600; }
details pre { margin: .3rem 0; white-space: pre-wrap; }
#notice { position: fixed; bottom: 1rem; right: 1rem; margin: 0; padding: .5rem .8rem; border-radius: 4px; background: #111d; color: white; }
#notice:empty { display: none; }
#sign-in { max-width: 36rem; margin: 3rem auto; }
#sign-in input { width: 24rem; max-width: 100%; }
`;
