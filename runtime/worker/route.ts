// Which object a request is for: by Host when the host is mapped, else by path (pure).
import { parseObjectPath, requestObject, requestUrl, type ObjectPath } from "../../core/index.ts";

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

/** The object path of a request: a mapped host serves its whole path space, any other host uses `/<id>[@ref]/…`. */
export function routeRequest(request: Request, table: HostTable): RoutedPath | null {
  const url = requestUrl(request);
  const target = hostTarget(url.hostname.toLowerCase(), table);
  if (target !== undefined) return fromTarget(target, url.pathname || "/");
  return requestObject(request);
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
