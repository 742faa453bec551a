// The hostname table as the runtime reads it: the platform's fixed HOSTNAMES over the mappings made through the
// control plane, kept per isolate for a few seconds (a write in this isolate shows at once, elsewhere within the TTL).
import type { HostTable } from "./route.ts";

export interface HostTableSource {
  /** Fixed by configuration; wins over stored mappings. */
  configured: HostTable;
  load(): Promise<HostTable>;
  ttlMs: number;
  now?: () => number;
}

export interface HostTableCache {
  /** The table: synchronous while fresh, so the call path pays nothing for it. */
  current(): HostTable | Promise<HostTable>;
  invalidate(): void;
}

export function createHostTable({ configured, load, ttlMs, now = Date.now }: HostTableSource): HostTableCache {
  let table: HostTable = configured;
  let loadedAt = -Infinity;
  let pending: Promise<HostTable> | null = null;
  const refresh = () =>
    (pending ??= load()
      .then((stored) => {
        table = { ...stored, ...configured };
        loadedAt = now();
        return table;
      })
      // The table could not be read: keep serving the last one (path routing never depends on it) and retry soon.
      .catch(() => table)
      .finally(() => (pending = null)));
  return {
    current: () => (now() - loadedAt < ttlMs ? table : refresh()),
    invalidate: () => {
      loadedAt = -Infinity;
    },
  };
}

/** Whether a host serves objects by path: any host when no platform hosts are configured, else a listed one. */
export function isPlatformHost(hostname: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return true;
  const host = hostname.toLowerCase();
  return patterns.some((pattern) => (pattern.startsWith("*.") ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : host === pattern));
}
