// A local server speaking GitHub's OAuth web flow and `GET /user`: authorize redirects straight back with a code (the
// user approves), the token endpoint checks the client id and secret (form parameters, as GitHub documents them), the PKCE verifier and that a code is used once.
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface GitHubOAuthServer {
  url: string;
  close(): Promise<void>;
}

const base64url = (bytes: Buffer) => bytes.toString("base64url");

export async function startGitHubOAuth(client: { clientId: string; clientSecret: string }, user = { id: 583231, login: "octocat", name: "The Octocat" }): Promise<GitHubOAuthServer> {
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const tokens = new Set<string>();
  let next = 0;
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const json = (status: number, value: unknown) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    if (request.method === "GET" && url.pathname === "/login/oauth/authorize") {
      const redirect = new URL(url.searchParams.get("redirect_uri")!);
      if (url.searchParams.get("client_id") !== client.clientId || url.searchParams.get("code_challenge_method") !== "S256") return json(400, { error: "bad request" });
      const code = `code-${++next}`;
      codes.set(code, { challenge: url.searchParams.get("code_challenge")!, redirectUri: redirect.href });
      redirect.searchParams.set("code", code);
      redirect.searchParams.set("state", url.searchParams.get("state") ?? "");
      return response.writeHead(302, { location: redirect.href }).end();
    }
    if (request.method === "POST" && url.pathname === "/login/oauth/access_token") {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      // GitHub documents the client credentials as form parameters of this POST.
      if (form.get("client_id") !== client.clientId || form.get("client_secret") !== client.clientSecret) return json(401, { error: "invalid_client" });
      const issued = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
      const verifier = form.get("code_verifier") ?? "";
      if (!issued || issued.redirectUri !== form.get("redirect_uri") || base64url(createHash("sha256").update(verifier).digest()) !== issued.challenge) {
        return json(400, { error: "bad_verification_code", error_description: "The code passed is incorrect or expired." });
      }
      const token = `gho_${++next}`;
      tokens.add(token);
      return json(200, { access_token: token, token_type: "bearer", scope: "read:user,user:email" });
    }
    if (request.method === "GET" && url.pathname === "/user") {
      if (!tokens.has((request.headers.authorization ?? "").replace(/^Bearer /, ""))) return json(401, { message: "Bad credentials" });
      return json(200, { ...user, email: null });
    }
    json(404, { message: "Not Found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
