// The dashboard's HTML shell: no data in it (everything comes from the management API with the user's token), so
// the page itself can be served to anyone; strict CSP, its script and styles from this Worker only.
export const DASHBOARD_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const dashboardHtml = (base: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>objects.do dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${base}/dashboard/app.css">
<script src="${base}/dashboard/app.js" defer></script>
</head>
<body>
<header><h1>objects.do</h1><span id="who"></span><button id="sign-out" hidden>Sign out</button></header>
<section id="sign-in" hidden>
  <h2>Sign in</h2>
  <p>Paste a management token (<code>objects token</code>, or <code>npm run -s token</code> on a local server).</p>
  <form id="token-form"><label>Token <input id="token" type="password" autocomplete="off" required></label> <button type="submit">Sign in</button></form>
  <p id="sign-in-error" class="error" role="alert"></p>
</section>
<main id="main" hidden>
  <nav aria-label="Objects"><h2>Objects</h2><ul id="objects"></ul><p id="objects-empty" hidden>No objects yet: <code>objects push</code> publishes some.</p></nav>
  <article id="object" aria-live="polite"><p class="hint">Choose an object.</p></article>
</main>
<p id="notice" role="status"></p>
</body>
</html>
`;
