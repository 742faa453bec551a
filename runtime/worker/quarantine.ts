// Versions that do not run: a quarantined one answers 503 (it froze or killed the local runtime once already), a retired one 410.
import { ObjectsError } from "../../core/index.ts";
import type { ResolvedVersion } from "../executor/version-cache.ts";

/**
 * Throws 410 `version-retired` when a request named a retired version exactly. A moving ref keeps serving what it
 * points at (a rollback onto a retired version is deliberate), and retire refuses what a moving ref serves.
 */
export function refuseRetired(id: string, label: string, version: ResolvedVersion, exact: boolean): void {
  if (!version.retired || !exact) return;
  const { at, replacedBy } = version.retired;
  const replacement = replacedBy ? ` (${replacedBy.version ? `v${replacedBy.version}` : replacedBy.hash.slice(0, 12)} when it was retired)` : "";
  throw new ObjectsError("version-retired", `${label} (${version.snapshot.hash.slice(0, 12)}) was retired at ${at}: call ${id}@latest${replacement}, or a newer version (GET /${id}/versions)`);
}

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
