// Secrets the Worker reads that `wrangler types` cannot see (they are set with `wrangler secret put`, or in .dev.vars).
interface Env {
  /** The GitHub App's webhook secret, for deliveries to /_/webhooks/github (per-repository secrets otherwise). */
  GITHUB_WEBHOOK_SECRET?: string;
}
