// The Worker's configuration, parsed from its vars and secrets once per env object: every string becomes a typed
// value with its default here, so the composition root (worker.ts) reads fields, never env strings.
import { DEADLINES_MS } from "./core/index.ts";
import { limitsFrom, type RuntimeLimits } from "./runtime/index.ts";

/** The vars and secrets config reads (a subset of Env, so tests can pass plain objects). */
export type ConfigVars = Partial<
  Record<
    | "ALLOW_PRIVATE_URLS" | "OUTBOUND_MODE" | "OUTBOUND_SECRETS" | "OAUTH_CLIENT_SECRETS" | "SESSION_SECRET" | "GITHUB_WEB_URL" | "GITHUB_API_URL"
    | "GITHUB_TOKEN" | "GITHUB_TIMEOUT_MS" | "GITHUB_WEBHOOK_SECRET" | "JOB_RETRY_DELAY_SECONDS" | "PLATFORM_HOSTS" | "SUPERVISOR_MARKER" | "SUPERVISOR_STATE" | "SUPERVISOR_QUARANTINES"
    | "SUPERVISOR_TRUST_AFTER" | "STRIPE_API_URL" | "STRIPE_API_KEY" | "AI_BASE_URL" | "AI_API_KEY" | "AI_MODEL" | "JWT_SECRET" | "JWKS_URL" | "JWT_ISSUER" | "JWT_AUDIENCE"
    | "CALL_TIMEOUT_MS" | "CALL_TICK_BUDGET" | "HOSTNAMES",
    string
  >
>;

export interface Config {
  limits: RuntimeLimits;
  /** Local development and tests: objects.do may fetch loopback and private hosts (git remotes, adapters, sign-in). */
  allowPrivateUrls: boolean;
  outbound: { mode: "deliver" | "outbox"; secrets: Record<string, string> };
  oauthClientSecrets: Record<string, string>;
  sessionSecret?: string;
  github: { webUrl: string; apiUrl: string; token?: string; timeoutMs: number; webhookSecret?: string };
  /** Seconds before the first retry of a failed job (doubling, at most five minutes). */
  retryBaseSeconds: number;
  platformHosts: string[];
  /** The local supervisor (`npm start`): its secret, its state, and the quarantines (JSON) the runtime starts with. */
  supervisor: { marker?: string; state?: unknown; quarantines?: string };
  stripe: { apiKey?: string; host?: string; port?: number; protocol?: "http" | "https" };
  ai: { baseUrl?: string; apiKey?: string; model?: string };
  auth: { secret?: string; jwksUrl?: string; issuer: string; audience: string };
  hostnames?: string;
}

/** JSON of string values (secrets maps); anything else is empty, never an exception at start-up. */
function jsonRecord(text: string | undefined): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(text ?? "{}");
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

const present = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> => (value === undefined || value === "" ? {} : ({ [key]: value } as Record<K, V>));
const positive = (text: string | undefined, fallback: number) => (Number(text) > 0 ? Number(text) : fallback);

function stripeOf(vars: ConfigVars): Config["stripe"] {
  const key = present("apiKey", vars.STRIPE_API_KEY);
  if (!vars.STRIPE_API_URL) return key;
  const url = new URL(vars.STRIPE_API_URL);
  return { ...key, host: url.hostname, port: Number(url.port || (url.protocol === "http:" ? 80 : 443)), protocol: url.protocol === "http:" ? "http" : "https" };
}

export function parseConfig(vars: ConfigVars): Config {
  const retry = Number(vars.JOB_RETRY_DELAY_SECONDS);
  return {
    limits: limitsFrom(vars),
    allowPrivateUrls: vars.ALLOW_PRIVATE_URLS === "true",
    outbound: { mode: vars.OUTBOUND_MODE === "deliver" ? "deliver" : "outbox", secrets: jsonRecord(vars.OUTBOUND_SECRETS) },
    oauthClientSecrets: jsonRecord(vars.OAUTH_CLIENT_SECRETS),
    ...present("sessionSecret", vars.SESSION_SECRET),
    github: { webUrl: vars.GITHUB_WEB_URL || "https://github.com", apiUrl: vars.GITHUB_API_URL || "https://api.github.com", ...present("token", vars.GITHUB_TOKEN), ...present("webhookSecret", vars.GITHUB_WEBHOOK_SECRET), timeoutMs: positive(vars.GITHUB_TIMEOUT_MS, DEADLINES_MS.github) },
    retryBaseSeconds: vars.JOB_RETRY_DELAY_SECONDS !== undefined && vars.JOB_RETRY_DELAY_SECONDS !== "" && Number.isFinite(retry) && retry >= 0 ? retry : 5,
    platformHosts: (vars.PLATFORM_HOSTS ?? "").split(",").map((host) => host.trim().toLowerCase()).filter(Boolean),
    supervisor: { ...present("marker", vars.SUPERVISOR_MARKER), ...(vars.SUPERVISOR_STATE ? { state: jsonRecord(vars.SUPERVISOR_STATE) } : {}), ...present("quarantines", vars.SUPERVISOR_QUARANTINES) },
    stripe: stripeOf(vars),
    ai: { ...present("baseUrl", vars.AI_BASE_URL), ...present("apiKey", vars.AI_API_KEY), ...present("model", vars.AI_MODEL) },
    auth: { ...present("secret", vars.JWT_SECRET), ...present("jwksUrl", vars.JWKS_URL), issuer: vars.JWT_ISSUER || "objects.do", audience: vars.JWT_AUDIENCE || "objects.do" },
    ...present("hostnames", vars.HOSTNAMES),
  };
}

const parsed = new WeakMap<object, Config>();

/** The configuration of an env object, parsed on first use. */
export function configOf(env: ConfigVars): Config {
  let config = parsed.get(env);
  if (!config) parsed.set(env, (config = parseConfig(env)));
  return config;
}
