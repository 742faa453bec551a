// Lets Node unit tests import modules that extend workerd's base classes; nothing here runs storage or RPC.
export class DurableObject {
  constructor(
    readonly ctx: unknown,
    readonly env: unknown,
  ) {}
}
export class RpcTarget {}
export class WorkerEntrypoint {}
