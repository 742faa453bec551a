// The host half of `$` for one call, an RPC target passed per call, never in env. A call of the version its
// environment serves runs in the facet, which answers `$.db` and `$.fsx` itself and asks this for the rest (messages,
// services, `$.gitx`, `$.bashx`, blobs of large files); a call of another version runs in a sandbox, and this forwards
// its `$.db` and `$.fsx` to the facet one operation at a time.
import { RpcTarget } from "cloudflare:workers";
import { FILE_OPERATIONS, type FacetHost, type StateResult } from "../../shared/sandbox-protocol.ts";
import type { QuotaCapability } from "../../../core/index.ts";
import { callPath, ServiceError } from "../../services/rpc.ts";
import { GitxError } from "./git.ts";
import { MessageError, type Messages } from "./messages.ts";
import { StateError, valueOf } from "./object-files.ts";

/** The facet's storage, as a call of another version reaches it. */
export interface StateAccess {
  db(collection: string, operation: string, args: unknown[]): Promise<StateResult>;
  fsx(operation: string, args: unknown[], blobs: FacetHost): Promise<StateResult>;
}

/** Blobs of large files in R2, under one object's environment. */
export interface BlobStore {
  put(bytes: Uint8Array): Promise<string>;
  get(key: string): Promise<Uint8Array | null>;
  /** Deletes a blob of this environment; a key of another (a fork's row naming production's blob) is left alone. */
  delete(key: string): Promise<void>;
}

/** The capabilities one call may use, already scoped to its object and environment. */
export interface HostScope {
  state: StateAccess;
  blobs: BlobStore;
  /** Made on first use: a call that sends nothing never touches the host's own tables. */
  messages(): Messages;
  /** Services by name (`ai`, `stripe`, `github`, `esbuild`); absent when the environment may not use one. */
  services: Record<string, object>;
  /** Versioning of the object's files (isomorphic-git over its storage; `blobs` carries large files). */
  git?: { run(operation: string, args: unknown[], blobs: FacetHost): Promise<unknown> };
  /** A shell over the object's files (just-bash; no host process). */
  bash?: { exec(command: string, blobs: FacetHost): Promise<{ stdout: string; stderr: string; exitCode: number }> };
  /** Uses of each capability one call may make (`email`, `ai`, `fsx`, …). */
  quotas: Record<string, number>;
  /** True once the object's state was deleted while this call ran: its storage is gone. */
  removed?(): boolean;
}

/** A call used a capability more often than its quota allows: the call answers 429 `quota-<capability>`. */
export class QuotaError extends Error {
  override name = "QuotaError";
}

/** A write the object's storage quota has no room for: the call answers 507 `storage-quota`. */
export class StorageFullError extends Error {
  override name = "StorageFullError";
}

/** The object was deleted while the call ran: the call answers 410 `object-removed`. */
export class ObjectRemovedError extends Error {
  override name = "ObjectRemovedError";
}

/** A fault of the storage under `$` (R2, the facet): the definition sees this, never the engine's text. */
export class StorageFaultError extends Error {
  override name = "StorageError";
}

const FILES = new Set<string>(FILE_OPERATIONS);
// Errors written for the definition to read; anything else a capability throws is the platform's and stays here.
const USER_FACING = [StateError, GitxError, MessageError, QuotaError, StorageFullError, ServiceError, ObjectRemovedError];

export class HostContext extends RpcTarget implements FacetHost {
  /** The capability whose quota this call exceeded, if any. */
  exceeded?: QuotaCapability;
  /** Set when a write found the object's storage full. */
  storageFull = false;
  private readonly used = new Map<string, number>();

  constructor(private readonly scope: HostScope) {
    super();
  }

  private use(capability: string): void {
    const count = (this.used.get(capability) ?? 0) + 1;
    this.used.set(capability, count);
    const limit = this.scope.quotas[capability] ?? Number.POSITIVE_INFINITY;
    if (count > limit) {
      // Only a capability with a quota can exceed one.
      this.exceeded ??= capability as QuotaCapability;
      throw new QuotaError(`$.${capability} may be used ${limit} times per call`);
    }
  }

  /** Runs one storage-backed operation: refused once the object is gone, engine faults replaced by a logged id. */
  private async stored<T>(capability: string, run: () => T | Promise<T>): Promise<T> {
    if (this.scope.removed?.()) throw new ObjectRemovedError("the object was deleted while this call ran");
    try {
      return await run();
    } catch (error) {
      if (USER_FACING.some((kind) => error instanceof kind)) throw error;
      if (this.scope.removed?.()) throw new ObjectRemovedError("the object was deleted while this call ran");
      const id = crypto.randomUUID().slice(0, 8);
      console.error(`[${id}] $.${capability} failed`, error);
      throw new StorageFaultError(`$.${capability} failed: an internal storage error (${id})`);
    }
  }

  /** A facet's storage result for a call of another version: a refusal counted as the facet's own calls count it. */
  private settled(result: StateResult): unknown {
    if (!result.ok && result.refused === "storage") this.storageFull = true;
    return valueOf(result);
  }

  // Async, so a refused operation rejects the sandbox's promise instead of surfacing as a host exception.
  async db(collection: unknown, operation: unknown, args: unknown): Promise<unknown> {
    return this.stored("db", async () => this.settled(await this.scope.state.db(String(collection), String(operation), Array.isArray(args) ? args : [])));
  }

  async fsx(operation: unknown, args: unknown): Promise<unknown> {
    this.use("fsx");
    if (typeof operation !== "string" || !FILES.has(operation)) throw new ServiceError(`$.fsx has no ${String(operation)}`);
    return this.stored("fsx", async () => this.settled(await this.scope.state.fsx(operation, Array.isArray(args) ? args : [], this)));
  }

  async message(channel: unknown, text: unknown): Promise<unknown> {
    this.use(String(channel));
    return this.stored(String(channel), () => this.scope.messages().send(channel, text));
  }

  async service(name: unknown, path: unknown, args: unknown): Promise<unknown> {
    const service = typeof name === "string" && Object.hasOwn(this.scope.services, name) ? this.scope.services[name] : undefined;
    if (!service) throw new ServiceError(`$.${String(name)} is not available here`);
    this.use(name as string);
    return callPath(service, Array.isArray(path) ? path.map(String) : [], Array.isArray(args) ? args : []);
  }

  async gitx(operation: unknown, args: unknown): Promise<unknown> {
    this.use("gitx");
    if (!this.scope.git) throw new ServiceError("$.gitx is not available here");
    const git = this.scope.git;
    return this.stored("gitx", () => git.run(String(operation), Array.isArray(args) ? args : [], this));
  }

  async bashx(command: unknown): Promise<unknown> {
    this.use("bashx");
    if (!this.scope.bash) throw new ServiceError("$.bashx is not available here");
    const bash = this.scope.bash;
    return this.stored("bashx", () => bash.exec(String(command), this));
  }

  // The facet's blobs: bytes of large files, under this object's environment in R2.
  async putBlob(bytes: Uint8Array): Promise<string> {
    return this.stored("fsx", () => this.scope.blobs.put(bytes));
  }

  async getBlob(key: string): Promise<Uint8Array | null> {
    return this.stored("fsx", () => this.scope.blobs.get(String(key)));
  }

  async deleteBlob(key: string): Promise<void> {
    return this.stored("fsx", () => this.scope.blobs.delete(String(key)));
  }

}
