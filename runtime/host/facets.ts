// The facets of one host object: one per environment, named as it, each running the version its environment serves
// with that environment's SQLite. A facet runs one class at a time: a new version replaces it once the calls of the
// old one ended (calls of the new one wait meanwhile), and the storage stays.
import { facetClassOf, type PreparedVersion, type SandboxOptions } from "../executor/loader.ts";
import type { FacetEntrypoint } from "../shared/sandbox-protocol.ts";

interface Running {
  hash: string;
  version: PreparedVersion;
  /** Calls in this facet now (its own, and other versions' reaching its storage). */
  calls: number;
  /** Set while a new version waits for these calls to end: nothing new joins the old class. */
  replacing: boolean;
  /** Resolved when `calls` falls to zero. */
  idle: Array<() => void>;
}

export interface FacetsDeps {
  ctx: DurableObjectState;
  loader: WorkerLoader;
  options: SandboxOptions;
}

export function createFacets({ ctx, loader, options }: FacetsDeps) {
  const running = new Map<string, Running>();

  const idle = (entry: Running) => new Promise<void>((resolve) => entry.idle.push(resolve));

  /** Starts (or finds) the facet of `environment` with `version`'s class; a running facet keeps its class. */
  const stubOf = (environment: string, version: PreparedVersion) =>
    ctx.facets.get(environment, () => ({ class: facetClassOf(loader, version, environment, options) })) as unknown as FacetEntrypoint;

  /** Enters the facet of `environment` running `version`, replacing another version once its calls ended. */
  async function enter(environment: string, version: PreparedVersion): Promise<Running> {
    for (;;) {
      const entry = running.get(environment);
      if (!entry) {
        const started: Running = { hash: version.snapshot.hash, version, calls: 1, replacing: false, idle: [] };
        running.set(environment, started);
        return started;
      }
      if (entry.hash === version.snapshot.hash && !entry.replacing) {
        entry.calls++;
        return entry;
      }
      if (entry.calls > 0) {
        entry.replacing = true;
        await idle(entry);
        continue;
      }
      // Nothing runs in the old class: it goes, its storage stays for the new one.
      forget(environment);
      ctx.facets.abort(environment, new Error(`replaced by version ${version.snapshot.hash.slice(0, 12)}`));
    }
  }

  /** Enters the facet of `environment` whatever version it runs (for its storage), starting `current` when none runs. */
  async function enterAny(environment: string, current: () => Promise<PreparedVersion>): Promise<Running> {
    for (;;) {
      const entry = running.get(environment);
      if (!entry) return enter(environment, await current());
      if (entry.replacing) {
        await idle(entry);
        continue;
      }
      entry.calls++;
      return entry;
    }
  }

  // By entry, not by name: a call that outlives its facet (deleted meanwhile) must not count against the next one.
  function leave(entry: Running): void {
    if (--entry.calls > 0) return;
    for (const resolve of entry.idle.splice(0)) resolve();
  }

  /** Forgets an environment's facet: whoever waited for it to go quiet looks again. */
  function forget(environment: string): void {
    const entry = running.get(environment);
    running.delete(environment);
    for (const resolve of entry?.idle.splice(0) ?? []) resolve();
  }

  async function use<T>(environment: string, entry: Running, body: (facet: FacetEntrypoint) => Promise<T>): Promise<T> {
    try {
      return await body(stubOf(environment, entry.version));
    } finally {
      leave(entry);
    }
  }

  return {
    /** Runs `use` in the facet of `environment` running `version`. */
    async with<T>(environment: string, version: PreparedVersion, body: (facet: FacetEntrypoint) => Promise<T>): Promise<T> {
      return use(environment, await enter(environment, version), body);
    },

    /** Runs `use` in the facet of `environment` as it is (its storage), started with `current` when not running. */
    async withAny<T>(environment: string, current: () => Promise<PreparedVersion>, body: (facet: FacetEntrypoint) => Promise<T>): Promise<T> {
      return use(environment, await enterAny(environment, current), body);
    },

    /** The version the facet of `environment` runs now, if it runs. */
    runningHash: (environment: string): string | undefined => running.get(environment)?.hash,

    /** Drops an environment's facet and its storage. Calls in it fail; the host refuses them as removed. */
    delete(environment: string): void {
      forget(environment);
      ctx.facets.delete(environment);
    },

    /** Replaces `to`'s storage with a copy of `from`'s (copy-on-write where the file system can). */
    clone(from: string, to: string): void {
      forget(to);
      // worker-configuration.d.ts predates clone (workerd has it: VERIFIED.md).
      (ctx.facets as DurableObjectFacets & { clone(from: string, to: string): void }).clone(from, to);
    },
  };
}

export type Facets = ReturnType<typeof createFacets>;
