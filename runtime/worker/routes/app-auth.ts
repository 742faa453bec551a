// The routes of sign-in (`/__auth/login|callback|logout`) and the gate of app pages (`/app/*`): a bearer token or
// this object's session cookie, else a redirect to sign-in for browsers and a 401 problem for API clients.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { ObjectsError } from "../../../core/index.ts";
import { AppAuthSchema, type AppAuth } from "../../../schemas/index.ts";
import type { RuntimeEnv } from "../dispatch.ts";
import type { MountRuntime } from "./mount.ts";
import type { ResolvedVersion } from "../../executor/version-cache.ts";
import { sessionCookieName, signFor, verifyFor, type SessionUser } from "../app-auth/session.ts";
import { beginSignIn, finishSignIn, type SignInEnvironment, type Transaction } from "../app-auth/sign-in.ts";

export interface AppAuthDeps {
  /** Signs sessions; without it, sign-in is off (bearer tokens still open app pages). */
  sessionSecret: string | undefined;
  clientSecret(objectId: string, provider: string): string | undefined;
  /** The user of a platform bearer token (throws a 401 problem when it does not verify). */
  verifyBearer(request: Request): Promise<SessionUser>;
  signIn: SignInEnvironment;
}

/** Where the object's URLs start: `/<id>@<ref>` by path, `` on a mapped host; the callback URL has no ref. */
export interface ObjectBase {
  id: string;
  base: string;
  viaHost: boolean;
}

const SIGN_IN_SECONDS = 600;
const DEFAULT_SESSION_SECONDS = 8 * 3600;
const COOKIE = { httpOnly: true, secure: true, sameSite: "Lax", path: "/" } as const;

const wantsHtml = (request: Request) => (request.headers.get("accept") ?? "").includes("text/html");
// Only a path under the object: never another origin (`//evil`, `/\evil`) after sign-in.
const safeReturn = (value: string | undefined) => (value && /^\/(?![/\\])[^\s]*$/.test(value) ? value : "/app");

function authOf(version: ResolvedVersion): AppAuth | undefined {
  const parsed = AppAuthSchema.safeParse((version.snapshot.definition.config as Record<string, unknown> | undefined)?.auth);
  return parsed.success ? parsed.data : undefined;
}

function requireSecret(deps: AppAuthDeps): string {
  if (!deps.sessionSecret) throw new ObjectsError("session-secret-missing", "sign-in needs SESSION_SECRET on this platform");
  return deps.sessionSecret;
}

/** The signed-in user of a request: a bearer token, else this object's session cookie; null when neither. */
export async function appUser(c: Context, deps: AppAuthDeps, id: string): Promise<SessionUser | null> {
  if (c.req.header("authorization")) return deps.verifyBearer(c.req.raw);
  if (!deps.sessionSecret) return null;
  return verifyFor<SessionUser>(deps.sessionSecret, id, getCookie(c, await sessionCookieName(id, "session")));
}

/** What an app page answers without a user: sign-in for a browser, 401 for an API client. */
export function signInRequired(c: Context, object: ObjectBase, rest: string): Response {
  if (wantsHtml(c.req.raw)) return c.redirect(`${object.base}/__auth/login?return_to=${encodeURIComponent(rest)}`, 302);
  const error = new ObjectsError("session-required", "app pages need a bearer token or a session: sign in at /__auth/login");
  throw error;
}

function chooser(object: ObjectBase, auth: AppAuth, returnTo: string): string {
  const escape = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const links = Object.entries(auth.providers).map(
    ([name, provider]) => `<li><a href="${escape(`${object.base}/__auth/login?provider=${encodeURIComponent(name)}&return_to=${encodeURIComponent(returnTo)}`)}">${escape(provider.label ?? name)}</a></li>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · ${escape(object.id)}</title></head><body><h1>Sign in to ${escape(object.id)}</h1><ul>${links.join("")}</ul></body></html>`;
}

/** Mounts `/__auth/*` on the runtime app. */
export function mountSignIn(mount: MountRuntime, deps: AppAuthDeps, resolve: (c: Context<RuntimeEnv>) => Promise<{ version: ResolvedVersion; object: ObjectBase }>): void {
  mount("signIn", async (c) => {
    const { version, object } = await resolve(c);
    const auth = authOf(version);
    if (!auth) throw new ObjectsError("sign-in-not-configured", `${object.id} has no sign-in (config.auth)`);
    const secret = requireSecret(deps);
    const returnTo = safeReturn(c.req.query("return_to"));
    const names = Object.keys(auth.providers);
    const name = c.req.query("provider") ?? (names.length === 1 ? names[0] : undefined);
    if (name === undefined) return c.html(chooser(object, auth, returnTo));
    const config = auth.providers[name];
    if (!config) throw new ObjectsError("provider-not-found", `${object.id} has no sign-in provider "${name}"`, { candidates: names });
    const origin = new URL(c.req.url).origin;
    const redirectUri = `${origin}${object.viaHost ? "" : `/${object.id}`}/__auth/callback`;
    const { transaction, location } = await beginSignIn(name, config, redirectUri, `${object.base}${returnTo}`, deps.signIn);
    setCookie(c, await sessionCookieName(object.id, "signin"), await signFor(secret, object.id, { transaction }, SIGN_IN_SECONDS), { ...COOKIE, maxAge: SIGN_IN_SECONDS });
    return c.redirect(location, 302);
  });

  mount("signInCallback", async (c) => {
    const { version, object } = await resolve(c);
    const secret = requireSecret(deps);
    const cookie = await sessionCookieName(object.id, "signin");
    const held = await verifyFor<{ transaction: Transaction }>(secret, object.id, getCookie(c, cookie));
    if (!held) throw new ObjectsError("sign-in-expired", "no sign-in is in progress here (or it took over 10 minutes): start again");
    const { transaction } = held;
    const user = await finishSignIn(transaction, new URL(c.req.url), deps.clientSecret(object.id, transaction.provider), deps.signIn);
    const seconds = authOf(version)?.sessionSeconds ?? DEFAULT_SESSION_SECONDS;
    deleteCookie(c, cookie, COOKIE);
    setCookie(c, await sessionCookieName(object.id, "session"), await signFor(secret, object.id, { ...user }, seconds), { ...COOKIE, maxAge: seconds });
    return c.redirect(transaction.returnTo, 302);
  });

  mount("signOut", async (c) => {
    const { object } = await resolve(c);
    deleteCookie(c, await sessionCookieName(object.id, "session"), COOKIE);
    return c.redirect(object.base || "/", 302);
  });
}
