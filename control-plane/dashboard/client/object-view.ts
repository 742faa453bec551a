// One object's page: deployments and previews (promote), versions, history (roll back), quarantines (release) and
// its recent errors from the call, event and schedule logs.
import type { DescribedDiff, DescribeResponse, HistoryResponse, MoveResponse, ObjectRecords, ReleaseResponse, UsageReport } from "../../../schemas/index.ts";
import { api } from "./api.ts";
import { isPreviewRef } from "../../../schemas/preview-ref.ts";
import { callCharts } from "./charts.ts";
import { byId, el, hashCell, notice, objectPath, short, shortenHashes, table, when } from "./dom.ts";
import { previewsSection } from "./previews-view.ts";
import { rolloutSection } from "./rollout-view.ts";


/** Called after a move, so the list of objects shows the new latest. */
let refreshList: () => Promise<void> = async () => {};
export const whenMoved = (refresh: () => Promise<void>) => void (refreshList = refresh);

const refKind = (ref: string) => (ref === "latest" ? "production" : isPreviewRef(ref) ? "preview" : "branch");

function diffCell(diff: DescribedDiff | undefined): HTMLElement {
  if (!diff) return el("td");
  if (!diff.lines.length) return el("td", {}, [el("span", { text: diff.headline, class: "muted" })]);
  const summary = el("summary", { text: diff.headline, class: diff.breaking ? "breaking" : null });
  return el("td", {}, [el("details", {}, [summary, el("pre", { text: diff.lines.join("\n") })])]);
}

/** Production moves only after the person says so: a rollback or promote serves other code at once. */
async function move(id: string, action: "rollback" | "promote", body: object, label: string, target: string): Promise<void> {
  if (!confirm(`${label}? Production (${id}@latest) will serve ${target} at once.`)) return;
  try {
    const result = await api<MoveResponse>("POST", `${objectPath(id)}/${action}`, body);
    notice(`${label}: latest is now ${short(result.latest)} (${result.diff.changes.length} contract change(s)${result.diff.breaking ? ", breaking" : ""})`);
    await refreshList();
    await showObject(id);
  } catch (error) {
    notice(`${label} failed: ${(error as Error).message}`);
  }
}

async function release(id: string, hash: string): Promise<void> {
  try {
    await api<ReleaseResponse>("POST", `${objectPath(id)}/release`, { hash });
    notice(`Released ${short(hash)}: it runs again`);
    await showObject(id);
  } catch (error) {
    notice(`Release failed: ${(error as Error).message}`);
  }
}

function refRows(id: string, history: HistoryResponse, hasPages: boolean): HTMLElement[] {
  return Object.keys(history.refs).sort().map((ref) => {
    const hash = history.refs[ref];
    const promote = ref !== "latest" && hash !== history.refs.latest ? el("button", { type: "button", onclick: () => move(id, "promote", { from: ref }, `Promote ${ref}`, short(hash)) }, [`Promote ${ref}`]) : null;
    const at = `${objectPath(id)}@${encodeURIComponent(ref)}`;
    const site = hasPages ? [el("a", { href: `${at}/`, text: "site" }), " "] : [];
    return el("tr", { "data-ref": ref }, [el("td", { class: "clip" }, [el("code", { text: ref })]), el("td", { text: refKind(ref) }), hashCell(hash),
      el("td", {}, [...site, el("a", { href: `${at}/__schema`, text: "schema" })]), el("td", {}, [promote])]);
  });
}

function publicationRows(id: string, history: HistoryResponse): HTMLElement[] {
  // Newest first: the newest publication of what latest serves is the live one (a rollback republishes an old hash).
  const live = history.publications.find((p) => p.hash === history.refs.latest)?.seq;
  return history.publications.map((p) => {
    const from = p.provenance.commit ? `${p.provenance.repo ?? ""}@${p.provenance.commit.slice(0, 7)}` : (p.provenance.actor ?? p.provenance.source);
    const action = p.seq === live ? el("span", { class: "live", text: "live" })
      : p.hash === history.refs.latest ? el("span", { class: "muted", text: "same as live" })
        : el("button", { type: "button", class: "primary", onclick: () => move(id, "rollback", { to: p.hash }, `Roll back to #${p.seq}`, `#${p.seq} (${short(p.hash)})`) }, [`Roll back to #${p.seq}`]);
    const message = shortenHashes((p.provenance.message ?? "").split("\n")[0]!);
    const author = (p.provenance.author ?? "").replace(/ <.*>$/, "");
    return el("tr", { "data-seq": String(p.seq) }, [el("td", { text: `#${p.seq}` }), el("td", { text: when(p.provenance.at) }), hashCell(p.hash),
      el("td", { text: [p.version ? `v${p.version}` : "", ...p.refs, p.rollout ? "canary" : ""].filter(Boolean).join(", ") }), el("td", { text: `${p.provenance.source} ${from}${author ? ` · ${author}` : ""}` }),
      el("td", { class: "clip", title: p.provenance.message ?? "", text: message }), diffCell(p.diff), el("td", {}, [action])]);
  });
}

function quarantineRows(id: string, history: HistoryResponse): HTMLElement[] {
  return Object.entries(history.quarantined ?? {}).map(([hash, q]) =>
    el("tr", { "data-quarantined": hash }, [hashCell(hash), el("td", { text: when(q.at) }), el("td", { class: "error", text: q.reason + (q.what ? ` (${q.what})` : "") }),
      el("td", {}, [el("button", { type: "button", onclick: () => release(id, hash) }, ["Release"])])]));
}

type Logs = [ObjectRecords["calls"], ObjectRecords["events"], Pick<ObjectRecords["schedules"], "runs">];

/** The newest twenty failures of the three logs, newest first. */
function errorRows([calls, events, schedules]: Logs): HTMLElement[] {
  const errors = [
    ...calls.calls.filter((c) => c.status !== "ok").map((c) => ({ at: c.at, kind: "call", name: `${c.method} @${c.ref}`, detail: c.detail })),
    ...events.events.filter((e) => /failed|cut/.test(e.status)).map((e) => ({ at: e.at, kind: "event", name: e.name + (e.handler ? ` → ${e.handler}` : ""), detail: e.detail })),
    ...schedules.runs.filter((r) => !r.ok).map((r) => ({ at: r.at, kind: "schedule", name: r.pattern, detail: r.detail })),
  ].sort((a, b) => (a.at < b.at ? 1 : -1)).slice(0, 20);
  return errors.map((e) => el("tr", {}, [el("td", { text: when(e.at) }), el("td", { text: e.kind }), el("td", { text: e.name }), el("td", { class: "error", text: e.detail ?? "" })]));
}

export async function showObject(id: string): Promise<void> {
  const view = byId("object");
  view.replaceChildren(el("p", { class: "muted", text: `Loading ${id}…` }));
  const base = objectPath(id);
  const [history, described, previews, rollout, usage, ...logs] = await Promise.all([
    api<HistoryResponse>("GET", `${base}/versions?diffs=1`),
    // Whether latest has site pages: the control plane's describe (the runtime's schema answers 503 while quarantined).
    api<DescribeResponse>("GET", base).catch(() => null),
    previewsSection(id, () => showObject(id)),
    rolloutSection(id, () => showObject(id)),
    // When each version last answered (30 days): what to look at before retiring one.
    api<UsageReport>("GET", `${base}/__usage?days=30`).catch(() => null),
    // A log that cannot be read shows as empty: the history is what the page is for.
    api<Logs[0]>("GET", `${base}/__calls?limit=1000`).catch((): Logs[0] => ({ calls: [], minutes: [] })),
    api<Logs[1]>("GET", `${base}/__events?limit=100`).catch((): Logs[1] => ({ events: [] })),
    api<Logs[2]>("GET", `${base}/__schedules?limit=100`).catch((): Logs[2] => ({ runs: [] })),
  ]);
  document.querySelectorAll("nav li button").forEach((button) => button.setAttribute("aria-current", String(button.getAttribute("data-object") === id)));
  const lastCalled = new Map(usage?.versions.map((v) => [v.hash, v.lastSeen]) ?? []);
  const versionRows = Object.keys(history.versions).sort().reverse().map((version) => {
    const hash = history.versions[version]!;
    const state = history.retired?.[hash] ? " (retired)" : "";
    return el("tr", { "data-version": version }, [el("td", {}, [el("code", { text: `v${version}` })]), hashCell(hash), el("td", { class: "last-called", text: (when(lastCalled.get(hash)) || "not in 30 days") + state })]);
  });
  const quarantined = quarantineRows(id, history);
  const errors = errorRows(logs);
  const hasPages = Object.keys(described?.definition.site ?? {}).length > 0;
  view.replaceChildren(
    el("h2", {}, [`${id} `, hasPages ? el("a", { href: `${base}@latest/`, text: "open site" }) : el("span", { class: "muted", text: "(no site pages)" })]),
    el("p", { class: "muted" }, ["latest ", el("code", { id: "latest-hash", title: history.refs.latest ?? "", text: short(history.refs.latest) })]),
    quarantined.length ? el("section", { id: "quarantined" }, [el("h2", { text: "Quarantined" }), el("p", { class: "muted", text: "These versions froze or crashed the local runtime and answer 503 until released or republished." }), table(["hash", "at", "reason", ""], quarantined, ["hash", "at", "", "action"])]) : "",
    el("h2", { text: "Calls" }), callCharts(logs[0].calls, logs[0].minutes),
    el("h2", { text: "Rollout" }), rollout,
    el("h2", { text: "Deployments and previews" }), table(["ref", "kind", "hash", "links", ""], refRows(id, history, hasPages), ["", "kind", "hash", "", "action"]),
    el("h2", { text: "Previews" }), previews,
    el("h2", { text: "Versions" }), versionRows.length ? table(["version", "hash", "last called"], versionRows, ["", "hash", "at"]) : el("p", { class: "muted", text: "No versions: tag a commit v1.0.0 or set $version." }),
    el("h2", { text: "History" }), table(["#", "at", "hash", "version, refs", "from", "message", "contract", ""], publicationRows(id, history), ["narrow", "at", "hash", "refs", "", "", "contract", "action"]),
    el("h2", { text: "Recent errors" }), errors.length ? table(["at", "kind", "what", "error"], errors, ["at", "kind", "", ""]) : el("p", { class: "muted", id: "no-errors", text: "No errors recorded." }),
  );
}
