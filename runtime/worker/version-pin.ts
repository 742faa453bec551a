// Skew protection: a caller pinned to one version keeps talking to it while `latest` moves on. The pin is the
// `Objects-Version` request header, else the `objects-version` cookie; every response names the version that answered.
import { ObjectsError } from "../../core/index.ts";
import { cookieValue } from "./cookies.ts";
import { environmentLabel, environmentOf, parseRef } from "../../registry/index.ts";
import type { Address } from "./dispatch.ts";
import type { ResolvedVersion, VersionCache } from "../executor/version-cache.ts";

export const VERSION_HEADER = "objects-version";
export const VERSION_COOKIE = "objects-version";

/** Refs a pin may name: one version, never a ref that moves. */
const PINNABLE = new Set(["version", "hash"]);
/** Refs an environment serves as its own: `latest`, a branch, a preview. */
const HEAD = new Set(["latest", "branch", "pr", "topic"]);

/** Whether a ref names the version its environment serves (not a version, a range or a hash). */
export const isHeadRef = (text: string) => HEAD.has(parseRef(text).kind);

/** Refs a pin applies to: an exact ref in the URL already says which version, so a pin never overrides it. */
const MOVING = new Set(["latest", "range", "branch", "pr", "topic"]);

interface Pin {
  ref: string;
  /** A header is explicit (a wrong one is refused); a cookie is ambient (a wrong one is ignored). */
  from: "header" | "cookie";
}

function isPinnable(text: string): boolean {
  try {
    return PINNABLE.has(parseRef(text).kind);
  } catch {
    return false;
  }
}

/** The pin a request carries, or null; a malformed header is refused (400), a malformed cookie ignored. */
function pinOf(request: Request): Pin | null {
  const header = request.headers.get(VERSION_HEADER);
  if (header !== null) {
    const ref = header.trim();
    if (!isPinnable(ref)) throw new ObjectsError("version-pin-invalid", `the Objects-Version header "${ref.slice(0, 80)}" names no single version: send v1.2.3 or a hash prefix (the Objects-Version of an earlier response)`);
    return { ref, from: "header" };
  }
  const cookie = cookieValue(request, VERSION_COOKIE)?.trim();
  return cookie && isPinnable(cookie) ? { ref: cookie, from: "cookie" } : null;
}

/** The version a request names, whether it named that version exactly (an exact ref, or a pin it honoured), and whose state it runs on. */
export interface Requested {
  version: ResolvedVersion;
  exact: boolean;
  environment: string;
}

/**
 * The version a request names: its pin when the URL's ref moves and that version was published to the environment
 * the URL serves (a pin never carries code into another environment's state), else the URL's ref.
 */
export async function resolveRequested(versions: VersionCache, address: Address, request: Request): Promise<Requested> {
  const ref = parseRef(address.ref);
  const moving = MOVING.has(ref.kind);
  const pin = moving ? pinOf(request) : null;
  const named = async () => {
    const version = await versions.resolve(address.id, address.ref);
    return { version, exact: !moving, environment: version.environment };
  };
  if (!pin) return named();
  let version: ResolvedVersion;
  try {
    version = await versions.resolve(address.id, pin.ref);
  } catch (error) {
    const missing = error instanceof ObjectsError && ["ref-not-found", "ref-ambiguous", "environment-gone"].includes(error.code);
    if (missing && pin.from === "cookie") return named();
    if (!missing || error.code === "ref-ambiguous") throw error;
    throw new ObjectsError("version-pin-not-found", `${address.id} has no single version "${pin.ref}" (the Objects-Version header): ${error.message}`);
  }
  // Only a moving ref takes a pin, and a moving ref's environment is its own.
  const environment = ref.kind === "hash" ? version.environment : environmentOf(ref);
  if (version.environments.includes(environment)) return { version, exact: true, environment };
  if (pin.from === "cookie") return named();
  throw new ObjectsError("version-pin-elsewhere", `${address.id}: the Objects-Version header names ${pin.ref.slice(0, 80)}, which was never published to ${environmentLabel(environment)}; a pin never runs a version on another environment's state`);
}

/** `response` with `edit` applied to its headers; one whose headers are immutable (passed through from fetch) is copied once. */
export function withHeaders(response: Response, edit: (headers: Headers) => void): Response {
  try {
    edit(response.headers);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    edit(copy.headers);
    return copy;
  }
}

/** The response with the version that answered, which a caller sends back as its pin. */
export const withVersionHeader = (response: Response, hash: string | undefined): Response => (hash ? withHeaders(response, (headers) => headers.set(VERSION_HEADER, hash)) : response);
