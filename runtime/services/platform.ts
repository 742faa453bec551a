// The services `$` reaches (`$.ai`, `$.stripe`, `$.github`, `$.esbuild`), built once per isolate from platform
// configuration. Previews and branches get only those without outside side effects.
import type { QuotaCapability } from "../../core/index.ts";
import { aiService, type AiConfig } from "./ai.ts";
import { githubService, type GitHubConfig } from "./github.ts";
import { stripeService, type StripeConfig } from "./stripe.ts";

export interface PlatformServiceConfig {
  ai: AiConfig;
  stripe: StripeConfig;
  github: GitHubConfig;
  /** esbuild.do, when bound (a separate Worker: its WebAssembly is too heavy for this one). */
  esbuild?: object;
}

/** Services by environment: production gets all; previews and branches get `ai` and `esbuild` only. */
export function createPlatformServices(config: PlatformServiceConfig): (environment: string) => Record<string, object> {
  let all: Record<string, object> | undefined;
  let safe: Record<string, object> | undefined;
  const build = () => {
    const services: Record<string, object> = { ai: aiService(config.ai), stripe: stripeService(config.stripe), github: githubService(config.github) };
    if (config.esbuild) services.esbuild = config.esbuild;
    return services;
  };
  return (environment) => {
    if (environment === "production") return (all ??= build());
    if (!safe) {
      const { ai, esbuild } = (all ??= build());
      safe = { ai: ai!, ...(esbuild ? { esbuild } : {}) };
    }
    return safe;
  };
}

/** What one call may use of each capability. */
export const DEFAULT_QUOTAS: Record<QuotaCapability, number> = { fsx: 1000, email: 20, sms: 20, slack: 20, ai: 20, stripe: 20, github: 50, esbuild: 10, gitx: 20, bashx: 20 };
