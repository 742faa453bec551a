// The OAuth 2 / OpenID Connect authorization code flow with PKCE, `state` and `nonce` (oauth4webapi): the URL to
// send a browser to, and the user behind the code it comes back with.
import * as oauth from "oauth4webapi";
import { ObjectsError } from "../../../core/index.ts";
import type { AuthProvider } from "../../../schemas/index.ts";
import type { SessionUser } from "./session.ts";

export interface SignInEnvironment {
  /** Local development and tests talk to http issuers on private addresses; production never does. */
  allowInsecure: boolean;
  /** GitHub's web and API origins (a local stand-in in tests). */
  githubWeb: string;
  githubApi: string;
}

/** What a sign-in in progress remembers (signed, in a cookie) between the redirect and the callback. */
export interface Transaction {
  provider: string;
  config: AuthProvider;
  state: string;
  nonce?: string;
  verifier: string;
  redirectUri: string;
  returnTo: string;
}

const GOOGLE = "https://accounts.google.com";
const discovered = new Map<string, { server: oauth.AuthorizationServer; at: number }>();
const DISCOVERY_TTL_MS = 10 * 60_000;

const options = (env: SignInEnvironment) => ({ [oauth.allowInsecureRequests]: env.allowInsecure });

async function serverOf(config: AuthProvider, env: SignInEnvironment): Promise<oauth.AuthorizationServer> {
  if (config.type === "github") {
    return { issuer: env.githubWeb, authorization_endpoint: `${env.githubWeb}/login/oauth/authorize`, token_endpoint: `${env.githubWeb}/login/oauth/access_token` };
  }
  const issuer = config.type === "google" ? GOOGLE : config.issuer!;
  const hit = discovered.get(issuer);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.server;
  try {
    const url = new URL(issuer);
    const server = await oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, { algorithm: "oidc", ...options(env) }));
    discovered.set(issuer, { server, at: Date.now() });
    return server;
  } catch (error) {
    throw new ObjectsError("sign-in-unavailable", `the identity provider ${issuer} could not be discovered: ${(error as Error).message}`);
  }
}

const scopesOf = (config: AuthProvider) => (config.scopes ?? (config.type === "github" ? ["read:user", "user:email"] : ["openid", "email", "profile"])).join(" ");

/** Starts a sign-in: the transaction to remember and the provider URL to redirect to. */
export async function beginSignIn(provider: string, config: AuthProvider, redirectUri: string, returnTo: string, env: SignInEnvironment): Promise<{ transaction: Transaction; location: string }> {
  const server = await serverOf(config, env);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = config.type === "github" ? undefined : oauth.generateRandomNonce();
  const url = new URL(server.authorization_endpoint!);
  url.searchParams.set("client_id", config.clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", scopesOf(config));
  url.searchParams.set("state", state);
  if (nonce) url.searchParams.set("nonce", nonce);
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set("code_challenge_method", "S256");
  return { transaction: { provider, config, state, ...(nonce ? { nonce } : {}), verifier, redirectUri, returnTo }, location: url.href };
}

async function githubUser(accessToken: string, env: SignInEnvironment): Promise<SessionUser> {
  const response = await fetch(`${env.githubApi}/user`, { headers: { authorization: `Bearer ${accessToken}`, accept: "application/vnd.github+json", "user-agent": "objects.do" } });
  if (!response.ok) throw new ObjectsError("sign-in-failed", `GitHub did not return the user (${response.status})`);
  const user = (await response.json()) as { id?: number; login?: string; email?: string | null; name?: string | null };
  if (typeof user.id !== "number") throw new ObjectsError("sign-in-failed", "GitHub returned no user id");
  return { sub: `github:${user.id}`, provider: "github", name: user.name ?? user.login ?? "", ...(user.email ? { email: user.email } : {}) };
}

/** Finishes a sign-in from the callback URL: checks `state`, redeems the code with the PKCE verifier, checks `nonce`. */
export async function finishSignIn(transaction: Transaction, callback: URL, clientSecret: string | undefined, env: SignInEnvironment): Promise<SessionUser> {
  const { config } = transaction;
  const server = await serverOf(config, env);
  const client: oauth.Client = { client_id: config.clientId };
  let parameters: URLSearchParams;
  try {
    parameters = oauth.validateAuthResponse(server, client, callback, transaction.state);
  } catch (error) {
    const denied = error instanceof oauth.AuthorizationResponseError;
    throw new ObjectsError(denied ? "sign-in-denied" : "sign-in-state", denied ? `the provider refused the sign-in: ${error.error}` : "the sign-in response does not match the sign-in in progress (state)");
  }
  // GitHub documents the client credentials as form parameters; OIDC issuers take HTTP Basic (RFC 6749 §2.3.1).
  const auth = !clientSecret ? oauth.None() : config.type === "github" ? oauth.ClientSecretPost(clientSecret) : oauth.ClientSecretBasic(clientSecret);
  try {
    const response = await oauth.authorizationCodeGrantRequest(server, client, auth, parameters, transaction.redirectUri, transaction.verifier, options(env));
    if (config.type === "github") {
      const tokens = await oauth.processAuthorizationCodeResponse(server, client, response, { requireIdToken: false });
      return await githubUser(tokens.access_token, env);
    }
    const tokens = await oauth.processAuthorizationCodeResponse(server, client, response, { expectedNonce: transaction.nonce!, requireIdToken: true });
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;
    return {
      sub: `${claims.iss}|${claims.sub}`,
      provider: transaction.provider,
      ...(typeof claims.email === "string" ? { email: claims.email } : {}),
      ...(typeof claims.name === "string" ? { name: claims.name } : {}),
    };
  } catch (error) {
    if (error instanceof ObjectsError) throw error;
    const detail = error instanceof oauth.ResponseBodyError ? `${error.error}${error.error_description ? `: ${error.error_description}` : ""}` : (error as Error).message;
    throw new ObjectsError("sign-in-failed", `the sign-in could not be completed: ${detail}`);
  }
}
