// A browser's part of a redirect-driven sign-in, for tests: one cookie jar per origin, and redirects followed one
// hop at a time so a test can stop, inspect or tamper with any hop.
export class Browser {
  private readonly jars = new Map<string, Map<string, string>>();
  /** Every URL this browser requested, in order. */
  readonly visited: string[] = [];

  cookies(origin: string): Map<string, string> {
    if (!this.jars.has(origin)) this.jars.set(origin, new Map());
    return this.jars.get(origin)!;
  }

  /** One request with this origin's cookies; `Set-Cookie` answers update the jar (`Max-Age=0` removes). */
  async get(url: string, headers: Record<string, string> = {}): Promise<Response> {
    const { origin } = new URL(url);
    const jar = this.cookies(origin);
    this.visited.push(url);
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
    const response = await fetch(url, { redirect: "manual", headers: { accept: "text/html", ...(cookie ? { cookie } : {}), ...headers } });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const [name, ...value] = pair!.split("=");
      if (attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute)) || /^\s*expires=thu, 01 jan 1970/i.test(attributes.join(";"))) jar.delete(name!.trim());
      else jar.set(name!.trim(), value.join("="));
    }
    return response;
  }

  /** Follows redirects from `url` until a response is not a redirect or `stop` says so; returns the last response. */
  async follow(url: string, stop: (next: string) => boolean = () => false, hops = 12): Promise<{ response: Response; url: string }> {
    let current = url;
    for (let hop = 0; hop < hops; hop++) {
      const response = await this.get(current);
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) return { response, url: current };
      const next = new URL(location, current).href;
      if (stop(next)) return { response, url: next };
      await response.arrayBuffer();
      current = next;
    }
    throw new Error(`more than ${hops} redirects from ${url}`);
  }
}
