// One load run with autocannon: requests per second, latency percentiles and every kind of failure counted.
import autocannon from "autocannon";

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
}

export interface LoadOptions {
  url: string;
  body?: string;
  method?: "GET" | "POST";
  /** Sent besides `content-type: application/json`. */
  headers?: Record<string, string>;
  seconds: number;
  connections: number;
}

/** Runs autocannon against one URL and summarizes it. */
export async function load({ url, body, method = "POST", headers = {}, seconds, connections }: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({ url, method, body, duration: seconds, connections, headers: { "content-type": "application/json", ...headers } });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** Latency of `count` sequential calls, in ms, sorted. */
export async function timed(count: number, call: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await call(i);
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
