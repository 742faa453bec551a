// stripe.do: the official Stripe SDK, with a configurable API host (a local server speaking Stripe's wire format in tests).
import Stripe from "stripe";
import { DEADLINES_MS } from "../../core/index.ts";

export interface StripeConfig {
  apiKey?: string;
  /** `api.stripe.com` unless set; with `port` and `protocol` for a local server. */
  host?: string;
  port?: number;
  protocol?: "http" | "https";
}

/** The Stripe client, or a stand-in whose every call says what is missing. */
export function stripeService(config: StripeConfig): object {
  if (!config.apiKey) {
    return new Proxy({}, { get: () => { throw new Error("Stripe is not configured: set the STRIPE_API_KEY secret"); } });
  }
  return new Stripe(config.apiKey, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 1,
    // The SDK's own deadline (its default is 80 s): one call waits at most this long.
    timeout: DEADLINES_MS.stripe,
    ...(config.host ? { host: config.host } : {}),
    ...(config.port ? { port: config.port } : {}),
    ...(config.protocol ? { protocol: config.protocol } : {}),
  });
}
