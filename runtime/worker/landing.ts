// `GET /` on a platform host: what a person who just ran `npm start` opens first. A page naming the dashboard, the
// health check and the README's sections, with commands written for the origin it was opened at; JSON clients get
// the same links as data.
const SECTIONS = ["Quick start", "Publish with git push", "Publish from GitHub", "The objects CLI", "MCP", "Use from your Worker", "Deploy to Cloudflare"];

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function landingPage(origin: string): string {
  const o = escape(origin);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>objects.do</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1d1d1f}code,pre{font:14px ui-monospace,monospace;background:#f4f4f5;border-radius:4px}pre{padding:.75rem;overflow-x:auto}a{color:#0b57d0}</style>
</head><body>
<h1>objects.do</h1>
<p>Every Durable Object is data: this server is the registry, the git remote and the runtime of object definitions.</p>
<ul>
<li><a href="/_/dashboard">Dashboard</a>: your objects, their versions, history, calls and errors (sign in with a token).</li>
<li><a href="/_/health">Health</a> of this server.</li>
<li><a href="/_/schemas/definition.schema.json">The JSON Schema of a definition</a>, for editors.</li>
</ul>
<h2>Publish your first object</h2>
<pre>TOKEN=$(npm run -s token)
curl -X PUT ${o}/my-app.do -H "authorization: Bearer $TOKEN" \\
     -d '{"api":{"hello":"async (name) =&gt; \`Hello \${name}!\`"}}'
curl -X POST ${o}/my-app.do/rpc -d '{"method":"hello","params":["World"]}'</pre>
<p>Or push a git repository to <code>${o}/_/git/&lt;name&gt;.git</code>.</p>
<h2>README.md in your checkout</h2>
<ul>${SECTIONS.map((section) => `<li>${escape(section)}</li>`).join("")}</ul>
</body></html>
`;
}

/** The same links for an API client. */
export const landingLinks = (origin: string) => ({
  name: "objects.do",
  dashboard: `${origin}/_/dashboard`,
  health: `${origin}/_/health`,
  schema: `${origin}/_/schemas/definition.schema.json`,
  git: `${origin}/_/git/<name>.git`,
});
