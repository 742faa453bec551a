// What the host object is asked to run: the shapes the Worker and other hosts send it.
import type { ComponentCall, PageInfo } from "../executor/loader.ts";


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

