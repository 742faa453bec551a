// What the ObjectDO is given (its adapters) and what it is asked to run: the shapes the Worker and the composition
// root share with it.
import type { Registry } from "../../registry/index.ts";
import type { ComponentCall, PageInfo } from "../executor/loader.ts";
import type { RuntimeLimits } from "./limits.ts";
import type { ObjectDOBase } from "../host/object-do.ts";

export interface ObjectDeps {
  registry: Pick<Registry, "state" | "snapshot">;
  loader: WorkerLoader;
  limits: RuntimeLimits;
  /** Where files over the inline limit go. */
  files: R2Bucket;
  /** The services `$` may reach in an environment (previews get no side-effecting ones). */
  services(environment: string): Record<string, object>;
  outbound: { mode: "deliver" | "outbox"; secrets: Record<string, string>; allowPrivateUrls: boolean };
  /** Uses of each capability one call may make. */
  quotas: Record<string, number>;
  /** The host object of an id (events bubble to the `$context` parent's, in the same environment). */
  host(id: string): DurableObjectStub<ObjectDOBase>;
  /** The object an id had per environment before hosts held every environment (its state moves into the host once). */
  legacy(environment: string, id: string): DurableObjectStub<ObjectDOBase>;
}

/** One call routed to the object: the Worker has already resolved the ref to an exact content hash. */
export interface ObjectCall {
  id: string;
  environment: string;
  hash: string;
  /** How the caller named the version, for messages (`crm.acme.com@^1`). */
  label: string;
  /** The caller named the environment's own ref (`latest`, a branch, a preview): the version it serves, as of the caller's refs. */
  head?: boolean;
  method: string;
  params: unknown[];
}

/** One page evaluation routed to the object (see `SandboxEntrypoint.page`). */
export interface PageCall extends Omit<ObjectCall, "method" | "params"> {
  key: string;
  info: PageInfo;
  calls: ComponentCall[];
}

export interface Identity {
  id: string;
  environment: string;
}

