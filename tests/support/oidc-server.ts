// A real OpenID Connect provider (oidc-provider) on a local port: the identity provider of app sign-in tests.
// Its interaction step signs in `account` and grants the requested scopes without a form.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export interface OidcServer {
  issuer: string;
  close(): Promise<void>;
}

export interface OidcClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export async function startOidcServer(client: OidcClient, account = { id: "ada", email: "ada@example.com", name: "Ada Lovelace" }): Promise<OidcServer> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: client.clientId, client_secret: client.clientSecret, redirect_uris: [client.redirectUri], grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "client_secret_basic" }],
    pkce: { required: () => true },
    claims: { openid: ["sub"], email: ["email"], profile: ["name"] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub, email: account.email, name: account.name }) }),
    cookies: { keys: ["oidc-test-cookie-key"] },
  });
  const handle = provider.callback();
  server.on("request", (req, res) => {
    if (!req.url?.startsWith("/interaction/")) return handle(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const grant = new provider.Grant({ accountId: account.id, clientId: details.params.client_id! });
      grant.addOIDCScope(details.params.scope!);
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId: account.id }, consent: { grantId } }, { mergeWithLastSubmission: false });
    })().catch((error: Error) => {
      res.statusCode = 500;
      res.end(error.message);
    });
  });
  return { issuer, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
