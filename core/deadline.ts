// Deadlines for every call objects.do makes to the outside (GitHub, git remotes, AI, Stripe, message adapters).

/** How long each kind of outbound call may take, from the request to the last byte of the answer. */
export const DEADLINES_MS = { github: 10_000, git: 30_000, ai: 60_000, stripe: 20_000, messages: 10_000 } as const;

export type OutboundService = keyof typeof DEADLINES_MS;

const NO_BODY = new Set([101, 204, 205, 304]);

/** An outbound call that did not finish in time: retryable, and never confused with an answer. */
export class DeadlineError extends Error {
  override name = "DeadlineError";
  constructor(
    readonly service: OutboundService,
    readonly ms: number,
  ) {
    super(`${service} did not answer within ${ms} ms`);
  }
}

/**
 * `fetch` with a deadline over the whole exchange: the body is read before the answer is handed over, so a server
 * that sends its headers and then stalls fails here, as a DeadlineError, and never half-way through the caller's
 * parsing. A signal the caller passes still aborts the call early.
 */
export function fetchWithDeadline(service: OutboundService, ms: number = DEADLINES_MS[service], base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const deadline = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    try {
      const response = await base(input, { ...init, signal });
      const bytes = await response.arrayBuffer();
      // Statuses without a body (204, 304, …) cannot be built with one.
      const buffered = new Response(NO_BODY.has(response.status) ? null : bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
      Object.defineProperty(buffered, "url", { value: response.url });
      return buffered;
    } catch (error) {
      if (deadline.aborted) throw new DeadlineError(service, ms);
      throw error;
    }
  };
}
