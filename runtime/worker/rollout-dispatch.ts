// A rollout on the request path: which version answers a call to `@latest` while a rollout runs, the tag the call log
// counts it under, and the cookie that makes a new browser one sticky caller.
import { PRODUCTION } from "../../registry/index.ts";
import { chooseArm, createAnonymousPlaces } from "../shared/rollout-split.ts";
import type { RolloutTag } from "../shared/rollout-counts.ts";
import { cookieValue } from "./cookies.ts";
import type { ResolvedVersion, VersionCache } from "../executor/version-cache.ts";
import { withHeaders } from "./version-pin.ts";

export type { RolloutTag };

/** The cookie that makes a browser one caller across requests (set on its first page during a rollout). */
export const CALLER_COOKIE = "objects-caller";

/** The caller a request names without a token: the cookie, else the `Objects-Caller` header. */
export function namedCaller(request: Request): string | null {
  const cookie = cookieValue(request, CALLER_COOKIE)?.trim();
  if (cookie) return `cookie:${cookie.slice(0, 128)}`;
  const header = request.headers.get("objects-caller")?.trim();
  return header ? `name:${header.slice(0, 128)}` : null;
}

/** A year: a browser stays one caller for every rollout it meets. */
const CALLER_COOKIE_SECONDS = 365 * 86_400;

const wantsHtml = (request: Request) => (request.headers.get("accept") ?? "").includes("text/html");

export function createRolloutSplit(versions: Pick<VersionCache, "byHash">, subjectOf?: (request: Request) => Promise<string | null>) {
  const anonymous = createAnonymousPlaces();
  const tags = new WeakMap<Request, RolloutTag>();
  const newCallers = new WeakMap<Request, string>();

  /** Who the request is, for stickiness; a browser with no name gets one (sent back as a cookie). */
  async function callerOf(request: Request): Promise<string | null> {
    if (subjectOf && request.headers.has("authorization")) {
      const subject = await subjectOf(request);
      if (subject !== null) return `sub:${subject}`;
    }
    const named = namedCaller(request);
    if (named !== null || !wantsHtml(request)) return named;
    const fresh = crypto.randomUUID();
    newCallers.set(request, fresh);
    return `cookie:${fresh}`;
  }

  return {
    /** The version that answers: `latest`'s own, or the canary's for the callers in its share. */
    async version(id: string, latest: ResolvedVersion, request: Request, method?: string): Promise<ResolvedVersion> {
      const { rollout } = latest;
      if (!rollout) return latest;
      const arm = chooseArm(rollout, id, await callerOf(request), method, anonymous);
      tags.set(request, { id: rollout.id, step: rollout.step, arm });
      if (arm === "stable") return latest;
      return { ...(await versions.byHash(rollout.canary)), environment: PRODUCTION, environments: [PRODUCTION], versions: rollout.canaryVersions };
    },

    /** The rollout tag of a request a rollout split, if one did. */
    armOf: (request: Request): RolloutTag | undefined => tags.get(request),

    /** The response, with the cookie that keeps a browser on its side of the split when it just got its name. */
    withCallerCookie(request: Request, response: Response): Response {
      const fresh = newCallers.get(request);
      if (!fresh) return response;
      return withHeaders(response, (headers) => headers.append("set-cookie", `${CALLER_COOKIE}=${fresh}; Path=/; Max-Age=${CALLER_COOKIE_SECONDS}; HttpOnly; SameSite=Lax`));
    },
  };
}
