// Reading one cookie of a request (pure): the runtime's one parser of the Cookie header.

/** The value of cookie `name` (URI-decoded when it can be), or undefined when the request has none. */
export function cookieValue(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  const part = header.split(/;\s*/).find((entry) => entry.startsWith(`${name}=`));
  if (part === undefined) return undefined;
  const raw = part.slice(name.length + 1);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
