#!/usr/bin/env node
// Prints a management JWT for the local server: `npm run -s token [-- --scope "*.acme.com" --ttl 1h --sub me]`.
import { parseArgs } from "node:util";
import { SignJWT } from "jose";
import { ensureDevVars } from "./dev-vars.mjs";

const { values } = parseArgs({
  options: { scope: { type: "string", default: "*" }, ttl: { type: "string", default: "30d" }, sub: { type: "string", default: "local-developer" } },
});
const vars = ensureDevVars();
const token = await new SignJWT({ scope: values.scope })
  .setProtectedHeader({ alg: "HS256", typ: "JWT" })
  .setSubject(values.sub)
  .setIssuer(process.env.JWT_ISSUER ?? "objects.do")
  .setAudience(process.env.JWT_AUDIENCE ?? "objects.do")
  .setIssuedAt()
  .setExpirationTime(values.ttl)
  .sign(new TextEncoder().encode(vars.JWT_SECRET));
process.stdout.write(`${token}\n`);
