// Which URLs objects.do itself fetches on a tenant's behalf (git remotes, outbound message endpoints), pure: HTTPS on
// public hosts; loopback and private ranges only when the deployment says so (local development and tests), never by
// default.
import { ObjectsError } from "./errors.ts";

function privateIpv4(host: string): boolean {
  const parts = host.split(".").map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) return false;
  const [a, b] = parts as [number, number, number, number];
  return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
}

function privateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".internal")) return true;
  if (privateIpv4(host)) return true;
  if (host.includes(":")) {
    // IPv4-mapped addresses, which URL normalizes to hex (`::ffff:7f00:1` is 127.0.0.1).
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
    const ipv4 = mapped ? [parseInt(mapped[1]!, 16) >> 8, parseInt(mapped[1]!, 16) & 255, parseInt(mapped[2]!, 16) >> 8, parseInt(mapped[2]!, 16) & 255].join(".") : undefined;
    return host === "::1" || host === "::" || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || (ipv4 !== undefined && privateIpv4(ipv4));
  }
  return false;
}

/** Throws 422 (`remote-not-allowed`, or the given code) for anything but https on a public host, unless `allowPrivate`. */
export function checkPublicUrl(text: string, allowPrivate: boolean, code: "remote-not-allowed" | "api-not-allowed" | "outbound-not-allowed" = "remote-not-allowed", field = "/cloneUrl"): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ObjectsError(code, `${text.slice(0, 200)} is not a URL`);
  }
  const refuse = (why: string) =>
    new ObjectsError(code, `${url.origin} is not allowed: ${why}`, { issues: [{ path: field, code, message: why }] });
  if (url.username || url.password) throw refuse("credentials belong in auth, not in the URL");
  if (allowPrivate) {
    if (url.protocol !== "https:" && url.protocol !== "http:") throw refuse("only http(s) URLs are fetched");
    return url;
  }
  if (url.protocol !== "https:") throw refuse("only https URLs are fetched");
  if (privateHost(url.hostname)) throw refuse("loopback, link-local and private addresses are never fetched");
  return url;
}
