// The host's own guard of production's state: it runs only code production published, whatever the Worker asked
// (behind the Worker's rule, registry/environments.ts). One registry read per new hash per instance.
import { ObjectsError } from "../../core/index.ts";
import { environmentsOf, PRODUCTION, type Registry } from "../../registry/index.ts";
import type { ObjectCall } from "../shared/object-calls.ts";

/** A check that throws `version-unreleased` for a version production never published, sent to run on its state. */
export function refuseUnreleased(registry: () => Pick<Registry, "state">) {
  // Publications are never taken back: a hash seen released stays released.
  const released = new Set<string>();
  return async ({ id, environment, hash, label }: Omit<ObjectCall, "method" | "params">): Promise<void> => {
    if (environment !== PRODUCTION || released.has(hash)) return;
    if (!environmentsOf(await registry().state(id), hash).includes(PRODUCTION)) {
      throw new ObjectsError("version-unreleased", `${label} never reached production, so it does not run on production's state`);
    }
    released.add(hash);
  };
}
