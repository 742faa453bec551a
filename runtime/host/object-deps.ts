// What the host object is given: its adapters, picked by the composition root (worker.ts).
import type { Registry } from "../../registry/index.ts";
import type { RuntimeLimits } from "../shared/limits.ts";
import type { HostRpc } from "../shared/host-rpc.ts";

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
  host(id: string): HostRpc;
  /** The object an id had per environment before hosts held every environment (its state moves into the host once). */
  legacy(environment: string, id: string): HostRpc;
}
