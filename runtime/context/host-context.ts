// The `$` a sandboxed call gets: an RPC target scoped to one object and environment, passed per call, never in env.
import { RpcTarget } from "cloudflare:workers";
import type { DocumentCall } from "./documents.ts";

export interface HostScope {
  documents: DocumentCall;
  emit(name: string, data: unknown): Promise<void>;
}

/**
 * The host half of `$`: the sandbox's prelude turns `$.db.Customer.create(x)` into `db("Customer", "create", [x])`.
 * It is disposed when the call returns, so a sandbox cannot keep it for later.
 */
export class HostContext extends RpcTarget {
  constructor(private readonly scope: HostScope) {
    super();
  }

  // Async, so a refused operation rejects the sandbox's promise instead of surfacing as a host exception.
  async db(collection: unknown, operation: unknown, args: unknown): Promise<unknown> {
    return this.scope.documents(collection, operation, Array.isArray(args) ? args : []);
  }

  emit(name: unknown, data: unknown): Promise<void> {
    return this.scope.emit(String(name), data);
  }
}
