// The `$` a sandboxed call gets: an RPC target scoped to one object and environment, passed per call, never in env.
import { RpcTarget } from "cloudflare:workers";
import { FILE_OPERATIONS, type SandboxHost } from "../../shared/sandbox-protocol.ts";
import type { QuotaCapability } from "../../../core/index.ts";
import { callPath, ServiceError } from "../../services/rpc.ts";
import { DocumentError, type DocumentCall } from "./documents.ts";
import { FileError, type Files } from "./files.ts";
import { GitxError } from "./git.ts";
import { MessageError, type Messages } from "./messages.ts";

/** The capabilities one call may use, already scoped to its object and environment. */
export interface HostScope {
  documents: DocumentCall;
  files: Files;
  messages: Messages;
  /** Services by name (`ai`, `stripe`, `github`, `esbuild`); absent when the environment may not use one. */
  services: Record<string, object>;
  /** Versioning of the object's files (isomorphic-git over its storage). */
  git?: { run(operation: string, args: unknown[]): Promise<unknown> };
  /** A shell over the object's files (just-bash; no host process). */
  bash?: { exec(command: string): Promise<{ stdout: string; stderr: string; exitCode: number }> };
  /** Uses of each capability one call may make (`email`, `ai`, `fsx`, …). */
  quotas: Record<string, number>;
  /** Whether writing `bytes` more would take the object past its storage quota. */
  storageFull?(bytes: number): boolean;
  /** True once the object's state was deleted while this call ran: its storage is gone. */
  removed?(): boolean;
}

/** A call used a capability more often than its quota allows: the call answers 429 `quota-<capability>`. */
export class QuotaError extends Error {
  override name = "QuotaError";
}

const FILES = new Set<string>(FILE_OPERATIONS);
const DB_WRITES = new Set(["create", "update"]);

/** A write the object's storage quota has no room for: the call answers 507 `storage-quota`. */
export class StorageFullError extends Error {
  override name = "StorageFullError";
}

/** The object was deleted while the call ran: the call answers 410 `object-removed`. */
export class ObjectRemovedError extends Error {
  override name = "ObjectRemovedError";
}

/** A fault of the storage under `$` (SQLite, R2): the definition sees this, never the engine's text. */
export class StorageFaultError extends Error {
  override name = "StorageError";
}

// Errors written for the definition to read; anything else a capability throws is the platform's and stays here.
const USER_FACING = [DocumentError, FileError, GitxError, MessageError, QuotaError, StorageFullError, ServiceError, ObjectRemovedError];

const sizeOf = (value: unknown): number => {
  if (typeof value === "string") return value.length;
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return value.byteLength;
  return JSON.stringify(value ?? null)?.length ?? 0;
};

/**
 * The host half of `$`: the sandbox's prelude turns `$.db.Customer.create(x)` into `db("Customer", "create", [x])`,
 * `$.slack\`…\`` into `message("slack", text)`, `$.stripe.customers.create(x)` into `service("stripe", [...], [x])`.
 * It is disposed when the call returns, so a sandbox cannot keep it for later.
 */
export class HostContext extends RpcTarget implements SandboxHost {
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

  private ensureRoom(bytes: number): void {
    if (!this.scope.storageFull?.(bytes)) return;
    this.storageFull = true;
    throw new StorageFullError("the object's storage is full");
  }

  // Async, so a refused operation rejects the sandbox's promise instead of surfacing as a host exception.
  async db(collection: unknown, operation: unknown, args: unknown): Promise<unknown> {
    const list = Array.isArray(args) ? args : [];
    return this.stored("db", () => {
      if (typeof operation === "string" && DB_WRITES.has(operation)) this.ensureRoom(sizeOf(list));
      return this.scope.documents(collection, operation, list);
    });
  }

  async fsx(operation: unknown, args: unknown): Promise<unknown> {
    this.use("fsx");
    const list = Array.isArray(args) ? args : [];
    if (typeof operation !== "string" || !FILES.has(operation)) throw new ServiceError(`$.fsx has no ${String(operation)}`);
    const files = this.scope.files as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    return this.stored("fsx", () => {
      if (operation === "write") this.ensureRoom(sizeOf(list[1]));
      return files[operation]!(...list);
    });
  }

  async message(channel: unknown, text: unknown): Promise<unknown> {
    this.use(String(channel));
    return this.stored(String(channel), () => this.scope.messages.send(channel, text));
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
    return this.stored("gitx", () => git.run(String(operation), Array.isArray(args) ? args : []));
  }

  async bashx(command: unknown): Promise<unknown> {
    this.use("bashx");
    if (!this.scope.bash) throw new ServiceError("$.bashx is not available here");
    const bash = this.scope.bash;
    return this.stored("bashx", () => bash.exec(String(command)));
  }
}
