// Which object a request is for: by Host when the host is mapped, else by path (pure).
import { parseObjectPath, type ObjectPath } from "../core/index.ts";

/** An object path; `viaHost` when a mapped host named the object (its pages link without `/<id>@<ref>`). */
export type RoutedPath = ObjectPath & { viaHost?: true };

/** Host → `id[@ref]`; a key `*.hq.sb` matches one label, and `*` in its target stands for that label. */
export type HostTable = Record<string, string>;

function fromTarget(target: string, rest: string): RoutedPath | null {
  const parsed = parseObjectPath(`/${target.split("/").map(encodeURIComponent).join("/")}`);
  return parsed && parsed.rest === "/" ? { id: parsed.id, ...(parsed.ref === undefined ? {} : { ref: parsed.ref }), rest, viaHost: true } : null;
}

function hostTarget(hostname: string, table: HostTable): string | undefined {
  const exact = table[hostname];
  if (exact !== undefined) return exact;
  const dot = hostname.indexOf(".");
  if (dot <= 0) return undefined;
  const wildcard = table[`*${hostname.slice(dot)}`];
  return wildcard?.replaceAll("*", hostname.slice(0, dot));
}

/** The object path of a request URL: a mapped host serves its whole path space, any other host uses `/<id>[@ref]/…`. */
export function routeRequest(url: { hostname: string; pathname: string }, table: HostTable): RoutedPath | null {
  const target = hostTarget(url.hostname.toLowerCase(), table);
  if (target !== undefined) return fromTarget(target, url.pathname || "/");
  return parseObjectPath(url.pathname);
}

/**
 * Host name and path of an absolute URL as the runtime hands it over (already normalized), without building a URL
 * object: this runs on every call.
 */
export function splitUrl(url: string): { hostname: string; pathname: string } {
  const authority = url.indexOf("//") + 2;
  const slash = url.indexOf("/", authority);
  const host = url.slice(authority, slash < 0 ? undefined : slash);
  const at = host.lastIndexOf("@");
  const bare = at < 0 ? host : host.slice(at + 1);
  const hostname = bare.startsWith("[") ? bare.slice(0, bare.indexOf("]") + 1) : bare.split(":")[0]!;
  if (slash < 0) return { hostname, pathname: "/" };
  const end = url.slice(slash).search(/[?#]/);
  return { hostname, pathname: end < 0 ? url.slice(slash) : url.slice(slash, slash + end) };
}

/** Parses the `HOSTNAMES` configuration (JSON object); malformed configuration maps nothing. */
export function parseHostTable(text: string | undefined): HostTable {
  try {
    const value = JSON.parse(text ?? "{}") as unknown;
    if (value === null || typeof value !== "object" || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  } catch {
    return {};
  }
}
