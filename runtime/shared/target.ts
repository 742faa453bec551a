// Which object a request names and, once resolved, whose state it runs on: shared by the Worker and the host object.

/** An object as a request names it (`id@ref`), before the ref is resolved. */
export interface Address {
  id: string;
  ref: string;
}

/** An address once resolved: `environment` is whose state its version runs on (registry/environments.ts). */
export interface Target extends Address {
  environment: string;
  /** The ref is the environment's own (`latest`, a branch, a preview) and no pin or canary replaced it. */
  head?: boolean;
}
