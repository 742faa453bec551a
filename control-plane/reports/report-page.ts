// The full report of a commit (pure): every ref's section with every object, URL, problem and contract change, as
// JSON for tools and as an HTML page for people (everything escaped; no script).
import { diffLines } from "../../definitions/index.ts";
import { printable } from "../../schemas/index.ts";
import type { ReportSection } from "../github/commit-report.ts";

export interface CommitReportView {
  repo: string;
  sha: string;
  sections: ReportSection[];
}

/** What `accept: application/json` gets: the sections as stored, without the GitHub rendering. */
export function reportJson({ repo, sha, sections }: CommitReportView) {
  return {
    repo,
    sha,
    conclusion: sections.some(({ report }) => report.conclusion === "failure") ? "failure" : sections.some(({ report }) => report.conclusion === "neutral") ? "neutral" : "success",
    sections: sections.map(({ ref, report, outcomes, issues, lines }) => ({ ref, conclusion: report.conclusion, title: report.title, objects: outcomes ?? [], problems: issues ?? [], lines: lines ?? [] })),
  };
}

const escape = (text: string) => printable(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const link = (url: string) => (/^https?:\/\//.test(url) ? `<a href="${escape(url)}">${escape(url)}</a>` : escape(url));

function sectionHtml(section: ReturnType<typeof reportJson>["sections"][number]): string {
  const objects = section.objects.map((o) => `<tr><td><code>${escape(o.id)}</code></td><td>${escape(o.status)}</td><td>${o.urls.map(link).join("<br>")}</td></tr>`).join("");
  const changes = section.objects.filter((o) => o.diff && (!o.diff.from || o.diff.from.hash !== o.diff.to.hash)).map((o) => `<h4><code>${escape(o.id)}</code></h4><ul>${diffLines(o.diff!).map((line) => `<li><code>${escape(line)}</code></li>`).join("")}</ul>`).join("");
  const problems = section.problems.map((p) => `<li><code>${escape(`${p.file ?? p.path}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ""}` : ""}`)}</code> ${escape(p.message)}</li>`).join("");
  const lines = section.problems.length === 0 && section.objects.length === 0 ? section.lines.map((line) => `<li>${escape(line)}</li>`).join("") : "";
  return [
    `<section><h2>${escape(section.ref)} <span class="${escape(section.conclusion)}">${escape(section.conclusion)}</span></h2><p>${escape(section.title)}</p>`,
    objects ? `<table><thead><tr><th>Object</th><th>Status</th><th>URLs</th></tr></thead><tbody>${objects}</tbody></table>` : "",
    changes ? `<h3>Contract changes</h3>${changes}` : "",
    problems ? `<h3>Problems</h3><ul>${problems}</ul>` : "",
    lines ? `<ul>${lines}</ul>` : "",
    "</section>",
  ].join("");
}

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The page for people. */
export function reportHtml(view: CommitReportView): string {
  const json = reportJson(view);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>objects.do · ${escape(view.repo)} ${view.sha.slice(0, 7)}</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}.failure{color:#b00}.neutral{color:#a60}.success{color:#070}</style></head><body><h1>${escape(view.repo)} <code>${escape(view.sha)}</code></h1><p>${json.sections.length} ref(s) reported on this commit: <span class="${json.conclusion}">${json.conclusion}</span>.</p>${json.sections.map(sectionHtml).join("")}</body></html>`;
}
