// A quarantined version answers 503 and runs nothing: it froze or killed the local runtime once already.
import { ObjectsError } from "../core/index.ts";
import type { ResolvedVersion } from "./version-cache.ts";

/** Throws 503 `quarantined` naming why and how to release it, when `version` is quarantined. */
export function refuseQuarantined(id: string, label: string, version: ResolvedVersion): void {
  const { quarantine } = version;
  if (!quarantine) return;
  const hash = version.snapshot.hash;
  throw new ObjectsError(
    "quarantined",
    `${label} (${hash.slice(0, 12)}) is quarantined: ${quarantine.reason}${quarantine.what ? ` (${quarantine.what})` : ""} at ${quarantine.at}. Publish a new version, or release this one: POST /${id}/release {"hash": "${hash}"} (objects release ${id}@${hash.slice(0, 12)})`,
    { retryable: false },
  );
}
