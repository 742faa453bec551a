// Secrets the Worker reads that `wrangler types` cannot see (they are set with `wrangler secret put`, or in .dev.vars).
interface Env {
  /** The GitHub App's webhook secret, for deliveries to /_/webhooks/github (per-repository secrets otherwise). */
  GITHUB_WEBHOOK_SECRET?: string;
  /** Secrets outbound adapters may name (`config.outbound.slack.secret`), as a JSON object of name → value. */
  OUTBOUND_SECRETS?: string;
  /** OAuth client secrets of app sign-in, as a JSON object of `<object id>:<provider>` → secret. */
  OAUTH_CLIENT_SECRETS?: string;
  AI_API_KEY?: string;
  STRIPE_API_KEY?: string;
  /** The deadline of each GitHub API request of a connected repository, in ms (10 s unless set; the tests shorten it). */
  GITHUB_TIMEOUT_MS?: string;
  /** Set by `npm start`'s supervisor: the secret of the in-flight lines sandboxed calls print, and its report. */
  SUPERVISOR_MARKER?: string;
  SUPERVISOR_TRUST_AFTER?: string;
  /** The supervisor's state as JSON (restarts, what stopped the runtime), shown by /_/health. */
  SUPERVISOR_STATE?: string;
  /** The quarantines the supervisor has not seen taken yet, as JSON: the Worker takes them before it answers. */
  SUPERVISOR_QUARANTINES?: string;
  /** The token `$.github` and `env.DO.github` act with. */
  GITHUB_TOKEN?: string;
  /** esbuild.do (services/esbuild), when bound. */
  ESBUILD?: { transform(code: string, options?: object): Promise<unknown>; build(input: object): Promise<unknown> };
  /** Workers AI, when bound. */
  AI?: { run(model: string, input: Record<string, unknown>): Promise<unknown> };
}
