import { SignJWT } from "jose";
import { load } from "./load.ts";
const base = process.argv[2];
const t = await new SignJWT({ scope: "*" }).setProtectedHeader({ alg: "HS256" }).setIssuer("objects.do").setAudience("objects.do").setExpirationTime("2h").sign(new TextEncoder().encode("bench-secret"));
console.log((await fetch(`${base}/bench.do`, { method: "PUT", headers: { authorization: `Bearer ${t}` }, body: JSON.stringify({ api: { hello: "async (name) => `Hello ${name}!`" } }) })).status);
const cases = (process.argv[3] ?? "static,hello,noop,noop2").split(",");
for (let i = 0; i < 2; i++) for (const m of cases) {
  const url = m === "static" ? `${base}/__bench/static/rpc` : `${base}/bench.do/rpc`;
  const r = await load({ url, body: JSON.stringify({ method: m, params: ["World"] }), seconds: 4, connections: 8 });
  console.log(m, r.rps.toFixed(0), r.p50, r.p99, r.errors + r.non2xx);
}
