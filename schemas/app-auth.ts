// `config.auth` of a definition: who may sign in to its app pages (oauth.do). Client secrets never live here (the
// definition is public to its repository): they come from the platform's OAUTH_CLIENT_SECRETS.
import { z } from "zod";

const ProviderNameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, "a provider name is lowercase letters, digits and -");

export const AuthProviderSchema = z.strictObject({
  /** `oidc` (any OpenID Connect issuer, discovered), `google` (OIDC at accounts.google.com) or `github` (OAuth 2). */
  type: z.enum(["oidc", "google", "github"]).default("oidc"),
  /** The OIDC issuer; required for `oidc`. */
  issuer: z.url({ error: "issuer must be a URL" }).max(2048).optional(),
  clientId: z.string().min(1).max(512),
  scopes: z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/)).max(20).optional(),
  /** Label on the sign-in page. */
  label: z.string().max(64).optional(),
});
export type AuthProvider = z.infer<typeof AuthProviderSchema>;

export const AppAuthSchema = z
  .strictObject({
    providers: z.record(ProviderNameSchema, AuthProviderSchema),
    /** Session length in seconds (at most 7 days; 8 hours by default). */
    sessionSeconds: z.number().int().min(1).max(604_800).optional(),
  })
  .superRefine((auth, ctx) => {
    for (const [name, provider] of Object.entries(auth.providers)) {
      if ((provider.type ?? "oidc") === "oidc" && !provider.issuer) ctx.addIssue({ code: "custom", path: ["providers", name, "issuer"], message: "an oidc provider needs its issuer URL" });
    }
  });
export type AppAuth = z.infer<typeof AppAuthSchema>;
