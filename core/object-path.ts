// How a URL path names an object: `/<id>[@<ref>]/<rest>`, split without any lookup (pure).
import { isObjectId } from "../schemas/index.ts";
import { SURFACE_SEGMENTS, splitUrl } from "./url-space.ts";

export interface ObjectPath {
  id: string;
  /** The text after `@` (still to be parsed by `parseRef`), or undefined for the default ref. */
  ref?: string;
  /** The path under the object, always starting with `/`. */
  rest: string;
}

// The surfaces under an object (url-space.ts) end its id; so does any segment starting with `__`.
const endsId = (segment: string) => SURFACE_SEGMENTS.has(segment) || segment.startsWith("__");

/**
 * Splits a URL path (as sent, percent-encoded). The id runs through the leading segments until a surface segment
 * (`rpc`, `api`, `mcp`, `app`, `versions`, `rollback`, `__…`) or a segment holding `@`, which ends the id and
 * starts the ref: `/startup.do/tenant-123/rpc` → id `startup.do/tenant-123`; `/crm.acme.com@v1/pricing` → id
 * `crm.acme.com`, ref `v1`, rest `/pricing`. A `/` inside a ref is written `%2F`. Null when no valid id leads.
 */
export function parseObjectPath(pathname: string): ObjectPath | null {
  const raw = pathname.split("/").slice(1);
  const idParts: string[] = [];
  let ref: string | undefined;
  let index = 0;
  for (; index < raw.length; index++) {
    const segment = safeDecode(raw[index]!);
    if (segment === null) return null;
    if (segment === "" || endsId(segment)) break;
    const at = segment.indexOf("@");
    if (at >= 0) {
      idParts.push(segment.slice(0, at));
      ref = segment.slice(at + 1);
      index++;
      break;
    }
    idParts.push(segment);
  }
  const id = idParts.join("/");
  if (!isObjectId(id)) return null;
  const restSegments = raw.slice(index).map(safeDecode);
  if (restSegments.includes(null)) return null;
  return { id, ...(ref === undefined ? {} : { ref }), rest: `/${restSegments.join("/")}` };
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

// One parse per request: the worker's classification and the runtime's routing both read it.
interface ParsedRequest {
  hostname: string;
  pathname: string;
  object?: ObjectPath | null;
}
const parsed = new WeakMap<Request, ParsedRequest>();

function parsedOf(request: Request): ParsedRequest {
  let known = parsed.get(request);
  if (!known) parsed.set(request, (known = splitUrl(request.url)));
  return known;
}

/** A request's host name and path, split once. */
export const requestUrl = (request: Request): { hostname: string; pathname: string } => parsedOf(request);

/** The object a request's path names (`/<id>[@<ref>]/…`), parsed once; a mapped host is the runtime's to resolve. */
export function requestObject(request: Request): ObjectPath | null {
  const known = parsedOf(request);
  if (known.object === undefined) known.object = parseObjectPath(known.pathname);
  return known.object;
}
