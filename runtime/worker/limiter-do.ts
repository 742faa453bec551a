// LimiterDO: the token buckets of one object in one environment. A Durable Object runs one request at a time, so
// every take sees the previous one: the limit is exact, not approximate. Buckets live in its SQLite storage and
// survive eviction.
import { DurableObject } from "cloudflare:workers";

export interface BucketRequest {
  /** `object`, or `caller:<subject or address>`. */
  key: string;
  perMinute: number;
}

export type TakeResult = { ok: true } | { ok: false; key: string; retryAfterSeconds: number };

type Bucket = { tokens: number; at: number };

/** Refills a bucket of `perMinute` capacity (a full minute's burst) to `now`. */
export function refill(bucket: Bucket | undefined, perMinute: number, now: number): Bucket {
  if (!bucket) return { tokens: perMinute, at: now };
  const tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * perMinute);
  return { tokens, at: now };
}

export class LimiterDO extends DurableObject {
  /** Takes one token from every bucket, or from none when any is empty (then says when to retry). */
  take(requests: BucketRequest[]): TakeResult {
    const now = Date.now();
    const kv = this.ctx.storage.kv;
    const buckets = requests.map((request) => ({ request, bucket: refill(kv.get<Bucket>(request.key), request.perMinute, now) }));
    for (const { request, bucket } of buckets) {
      if (bucket.tokens < 1) {
        const seconds = ((1 - bucket.tokens) / request.perMinute) * 60;
        return { ok: false, key: request.key, retryAfterSeconds: Math.max(1, Math.ceil(seconds)) };
      }
    }
    for (const { request, bucket } of buckets) kv.put(request.key, { tokens: bucket.tokens - 1, at: bucket.at });
    // Callers come and go: a sweep drops buckets that have refilled (they equal no bucket at all).
    if (this.ctx.storage.kv.get("sweep") === undefined) {
      this.ctx.storage.kv.put("sweep", now);
      void this.ctx.storage.setAlarm(now + SWEEP_MS);
    }
    return { ok: true };
  }

  override async alarm(): Promise<void> {
    const kv = this.ctx.storage.kv;
    const now = Date.now();
    for (const [key, bucket] of kv.list<Bucket>()) if (key !== "sweep" && now - bucket.at > 60_000) kv.delete(key);
    kv.delete("sweep");
  }
}

const SWEEP_MS = 5 * 60_000;
