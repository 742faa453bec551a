// `GET /_/reports/<owner>/<name>/<sha>`: the full report of one commit of a connected repository (linked from its
// check run, commit status and preview comment). The full 40-hex sha is the key: whoever can see the commit on
// GitHub can read what objects.do said about it. Thin: parse, ask the SourceDO, render.
import type { Hono } from "hono";
import { ObjectsError } from "../../core/index.ts";
import type { ReportSection } from "../github/commit-report.ts";
import { jsonResponse } from "../http/json.ts";
import { REPORT_CSP, reportHtml, reportJson } from "../reports/report-page.ts";

export interface ReportRouteDeps {
  source(name: string): { report(sha: string): Promise<ReportSection[]> };
}

export function reportRoutes(app: Hono, { source }: ReportRouteDeps): void {
  app.get("/_/reports/:owner/:name/:sha", async (c) => {
    const repo = `${c.req.param("owner")}/${c.req.param("name")}`;
    const sha = c.req.param("sha");
    if (!/^[0-9a-f]{40}$/.test(sha)) throw new ObjectsError("sha-invalid", "a report is named by the commit's full 40-character sha");
    const sections = await source(repo.toLowerCase()).report(sha);
    if (sections.length === 0) throw new ObjectsError("report-not-found", `no report of ${sha.slice(0, 12)} in ${repo}`);
    const view = { repo, sha, sections };
    if ((c.req.header("accept") ?? "").includes("application/json")) return jsonResponse(reportJson(view));
    return new Response(reportHtml(view), { headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": REPORT_CSP } });
  });
}
