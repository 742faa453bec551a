// The dashboard: `GET /_/dashboard` (the page), `/_/dashboard/app.js` and `/_/dashboard/app.css`. The page holds no
// data; its script reads the management API with the user's token, so serving the files needs no authentication.
import type { Hono } from "hono";
import { DASHBOARD_JS } from "../dashboard/client-text.ts";
import { DASHBOARD_CSP, dashboardHtml } from "../dashboard/page.ts";
import { dashboardCss } from "../dashboard/styles.ts";

const asset = (body: string, type: string, extra: Record<string, string> = {}) =>
  new Response(body, { headers: { "content-type": type, "cache-control": "no-cache", "x-content-type-options": "nosniff", ...extra } });

export function dashboardRoutes(app: Hono): void {
  const page = dashboardHtml("/_");
  app.get("/_/dashboard", () => asset(page, "text/html; charset=utf-8", { "content-security-policy": DASHBOARD_CSP, "referrer-policy": "no-referrer", "x-frame-options": "DENY" }));
  app.get("/_/dashboard/app.js", () => asset(DASHBOARD_JS, "text/javascript; charset=utf-8"));
  app.get("/_/dashboard/app.css", () => asset(dashboardCss, "text/css; charset=utf-8"));
}
