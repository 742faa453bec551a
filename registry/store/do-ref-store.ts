// RefStore adapter over RefsDO: one Durable Object per object id, errors mapped back to ObjectsError.
import { ObjectsError, unwrap } from "../../core/index.ts";
import type { RefStore } from "../ports.ts";
import type { RefsDO } from "./refs-object.ts";

/** Wraps storage faults (the DO unreachable or overloaded) as retryable `unavailable` errors. */
async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ObjectsError) throw error;
    const retryable = (error as { retryable?: boolean }).retryable === true;
    throw new ObjectsError("refs-unavailable", "the ref store did not answer", {
      retryable,
      headers: { "retry-after": "1" },
    });
  }
}

/** A RefStore whose refs for each object live in the RefsDO named by the object id. */
export function doRefStore(namespace: DurableObjectNamespace<RefsDO>): RefStore {
  const stub = (id: string) => namespace.get(namespace.idFromName(id));
  return {
    read: (id) => guarded(() => stub(id).read()),
    publish: (id, command) => guarded(async () => unwrap(await stub(id).publish(command))),
    removeRef: (id, ref, tombstone) => guarded(() => stub(id).removeRef(ref, tombstone)),
    remove: (id) => guarded(() => stub(id).remove()),
    quarantine: (id, hash, record) => guarded(() => stub(id).quarantine(hash, record)),
    release: (id, hash) => guarded(() => stub(id).release(hash)),
  };
}
