// Latency histograms (pure): every call of a rollout is counted into logarithmic buckets, so a p99 over any number of
// calls costs a few hundred integers. A bucket spans 10% of its lower bound: a p99 read off it is at most 10% high.
// Imports nothing: the runtime counts, the control plane judges, the dashboard draws.

/** The lower bound of bucket 0, in ms; faster calls fall in it. */
const FLOOR_MS = 0.1;
const GROWTH = 1.1;
/** Bucket of the slowest calls (0.1 ms × 1.1^150 ≈ 16 minutes): everything slower falls in it. */
const LAST_BUCKET = 150;

/** Sparse counts by bucket index. */
export type Histogram = Record<number, number>;

/** The bucket a call of `ms` falls in. */
export function bucketOf(ms: number): number {
  if (!(ms > FLOOR_MS)) return 0;
  return Math.min(LAST_BUCKET, Math.ceil(Math.log(ms / FLOOR_MS) / Math.log(GROWTH)));
}

/** The upper bound of a bucket, in ms: what a quantile falling in it reads as. */
export const bucketUpperMs = (bucket: number) => FLOOR_MS * GROWTH ** bucket;

/** Adds one call of `ms` to `histogram`. */
export function countLatency(histogram: Histogram, ms: number): void {
  const bucket = bucketOf(ms);
  histogram[bucket] = (histogram[bucket] ?? 0) + 1;
}

/** Adds every count of `from` to `into`. */
export function mergeHistogram(into: Histogram, from: Histogram): Histogram {
  for (const [bucket, count] of Object.entries(from)) into[Number(bucket)] = (into[Number(bucket)] ?? 0) + count;
  return into;
}

/** The `q` quantile (0.99 for p99) in ms, rounded up to its bucket's bound; null when nothing was counted. */
export function quantileMs(histogram: Histogram, q: number): number | null {
  const buckets = Object.entries(histogram).map(([bucket, count]) => [Number(bucket), count] as const).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (const [bucket, count] of buckets) {
    seen += count;
    if (seen >= rank) return upTo100th(bucketUpperMs(bucket));
  }
  return upTo100th(bucketUpperMs(buckets.at(-1)![0]));
}

/** Rounded up, never to the nearest: a bound rounded down could read below the calls in its bucket (0.2144 → 0.21). */
const upTo100th = (ms: number) => Math.ceil(ms * 100) / 100;
