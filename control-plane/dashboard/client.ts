// The dashboard's script, served as /_/dashboard/app.js: plain DOM, no framework, no innerHTML (every value from the
// API is set as text). It talks to the management API with the token the user pasted (kept in localStorage).
// Written as ES2020 in a string: the Worker serves it as is; the browser test (tests/e2e/dashboard.test.ts) runs it.
export const dashboardJs = String.raw`"use strict";
(function () {
  var KEY = "objects.do.token";
  var byId = function (id) { return document.getElementById(id); };
  var current = null;
  var SIGNED_OUT = "signed out";

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      var value = props[key];
      if (value === undefined || value === null) return;
      if (key === "text") node.textContent = value;
      else if (key.indexOf("on") === 0) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    });
    (children || []).forEach(function (child) { if (child !== null && child !== undefined) node.append(child); });
    return node;
  }
  var objectPath = function (id) { return "/" + id.split("/").map(encodeURIComponent).join("/"); };
  var short = function (hash) { return hash ? hash.slice(0, 12) : "(none)"; };
  var when = function (iso) { return iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : ""; };
  function notice(text) { byId("notice").textContent = text; if (text) setTimeout(function () { if (byId("notice").textContent === text) byId("notice").textContent = ""; }, 6000); }

  async function api(method, path, body) {
    var headers = { authorization: "Bearer " + localStorage.getItem(KEY), accept: "application/json" };
    if (body) headers["content-type"] = "application/json";
    var response = await fetch(path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined });
    var data = null;
    try { data = await response.json(); } catch (error) { data = null; }
    if (response.status === 401) { signOut("The server refused the token: " + ((data && data.detail) || "401")); throw new Error(SIGNED_OUT); }
    if (!response.ok) throw new Error((data && data.detail) || ("HTTP " + response.status));
    return data;
  }

  function signOut(message) {
    localStorage.removeItem(KEY);
    byId("main").hidden = true;
    byId("sign-out").hidden = true;
    byId("who").textContent = "";
    byId("sign-in").hidden = false;
    byId("sign-in-error").textContent = message || "";
  }

  async function start() {
    if (!localStorage.getItem(KEY)) return signOut("");
    var who = await api("GET", "/_/whoami");
    byId("who").textContent = who.subject + " · " + who.scopes.join(" ");
    byId("sign-in").hidden = true;
    byId("main").hidden = false;
    byId("sign-out").hidden = false;
    await loadObjects();
    var wanted = decodeURIComponent(location.hash.slice(1));
    if (wanted) await showObject(wanted);
  }

  async function loadObjects() {
    var listing = await api("GET", "/_/objects?limit=500");
    var list = byId("objects");
    list.replaceChildren();
    byId("objects-empty").hidden = listing.objects.length > 0;
    listing.objects.forEach(function (entry) {
      list.append(el("li", {}, [el("button", { type: "button", "data-object": entry.id, "aria-current": String(entry.id === current), onclick: function () { location.hash = encodeURIComponent(entry.id); } }, [
        el("strong", { text: entry.id }), el("br"), el("small", { text: short(entry.latest) + " · " + when(entry.updatedAt) + (entry.message ? " · " + entry.message : "") }),
      ])]));
    });
  }

  function refKind(ref) {
    if (ref === "latest") return "production";
    if (/^pr-\d+$/.test(ref)) return "preview";
    return "branch";
  }

  function diffCell(diff) {
    if (!diff) return el("td");
    var summary = el("summary", { text: diff.headline, class: diff.breaking ? "breaking" : null });
    if (!diff.lines.length) return el("td", {}, [el("span", { text: diff.headline, class: "muted" })]);
    return el("td", {}, [el("details", {}, [summary, el("pre", { text: diff.lines.join("\n") })])]);
  }

  async function move(id, action, body, label) {
    try {
      var result = await api("POST", objectPath(id) + "/" + action, body);
      notice(label + ": latest is now " + short(result.latest) + " (" + result.diff.changes.length + " contract change(s)" + (result.diff.breaking ? ", breaking" : "") + ")");
      await loadObjects();
      await showObject(id);
    } catch (error) {
      notice(label + " failed: " + error.message);
    }
  }

  async function release(id, hash) {
    try {
      await api("POST", objectPath(id) + "/release", { hash: hash });
      notice("Released " + short(hash) + ": it runs again");
      await showObject(id);
    } catch (error) {
      notice("Release failed: " + error.message);
    }
  }

  function table(headings, rows) {
    return el("table", {}, [el("thead", {}, [el("tr", {}, headings.map(function (h) { return el("th", { text: h }); }))]), el("tbody", {}, rows)]);
  }

  async function showObject(id) {
    current = id;
    var view = byId("object");
    view.replaceChildren(el("p", { class: "muted", text: "Loading " + id + "…" }));
    var results = await Promise.all([
      api("GET", objectPath(id) + "/versions?diffs=1"),
      api("GET", objectPath(id) + "/__calls?limit=100").catch(function () { return { calls: [] }; }),
      api("GET", objectPath(id) + "/__events?limit=100").catch(function () { return { events: [] }; }),
      api("GET", objectPath(id) + "/__schedules?limit=100").catch(function () { return { runs: [] }; }),
    ]);
    var history = results[0];
    var latest = history.refs.latest;
    document.querySelectorAll("nav li button").forEach(function (b) { b.setAttribute("aria-current", String(b.getAttribute("data-object") === id)); });
    var site = objectPath(id) + "@latest/";

    var refRows = Object.keys(history.refs).sort().map(function (ref) {
      var hash = history.refs[ref];
      var action = ref !== "latest" && hash !== latest ? el("button", { type: "button", onclick: function () { move(id, "promote", { from: ref }, "Promote " + ref); } }, ["Promote " + ref]) : null;
      return el("tr", { "data-ref": ref }, [el("td", {}, [el("code", { text: ref })]), el("td", { text: refKind(ref) }), el("td", { class: "hash", text: short(hash) }),
        el("td", {}, [el("a", { href: objectPath(id) + "@" + encodeURIComponent(ref) + "/", text: "site" }), " ", el("a", { href: objectPath(id) + "@" + encodeURIComponent(ref) + "/__schema", text: "schema" })]), el("td", {}, [action])]);
    });

    var versionRows = Object.keys(history.versions).sort().reverse().map(function (version) {
      return el("tr", {}, [el("td", {}, [el("code", { text: "v" + version })]), el("td", { class: "hash", text: short(history.versions[version]) })]);
    });

    var publicationRows = history.publications.map(function (p) {
      var from = p.provenance.commit ? (p.provenance.repo || "") + "@" + p.provenance.commit.slice(0, 7) : (p.provenance.actor || p.provenance.source);
      var live = p.hash === latest;
      var action = live ? el("span", { class: "live", text: "live" }) : el("button", { type: "button", class: "primary", onclick: function () { move(id, "rollback", { to: p.hash }, "Roll back to #" + p.seq); } }, ["Roll back to #" + p.seq]);
      return el("tr", { "data-seq": String(p.seq) }, [el("td", { text: "#" + p.seq }), el("td", { text: when(p.provenance.at) }), el("td", { class: "hash", text: short(p.hash) }),
        el("td", { text: p.version ? "v" + p.version : "" }), el("td", { text: p.refs.join(", ") }), el("td", { text: p.provenance.source + " " + from }),
        el("td", { text: (p.provenance.author || "").replace(/ <.*>$/, "") }), el("td", { text: (p.provenance.message || "").split("\n")[0] }), diffCell(p.diff), el("td", {}, [action])]);
    });

    var quarantined = history.quarantined || {};
    var quarantineRows = Object.keys(quarantined).map(function (hash) {
      var q = quarantined[hash];
      return el("tr", { "data-quarantined": hash }, [el("td", { class: "hash", text: short(hash) }), el("td", { text: when(q.at) }), el("td", { class: "error", text: q.reason + (q.what ? " (" + q.what + ")" : "") }),
        el("td", {}, [el("button", { type: "button", onclick: function () { release(id, hash); } }, ["Release"])])]);
    });

    var errors = results[1].calls.filter(function (c) { return c.status !== "ok"; }).map(function (c) { return { at: c.at, kind: "call", name: c.method + " @" + c.ref, detail: c.detail }; })
      .concat(results[2].events.filter(function (e) { return /failed|cut/.test(e.status); }).map(function (e) { return { at: e.at, kind: "event", name: e.name + (e.handler ? " → " + e.handler : ""), detail: e.detail }; }))
      .concat(results[3].runs.filter(function (r) { return !r.ok; }).map(function (r) { return { at: r.at, kind: "schedule", name: r.pattern, detail: r.detail }; }))
      .sort(function (a, b) { return a.at < b.at ? 1 : -1; }).slice(0, 20);
    var errorRows = errors.map(function (e) { return el("tr", {}, [el("td", { text: when(e.at) }), el("td", { text: e.kind }), el("td", { text: e.name }), el("td", { class: "error", text: e.detail || "" })]); });

    view.replaceChildren(
      el("h2", {}, [id + " ", el("a", { href: site, text: "open site" })]),
      el("p", { class: "muted" }, ["latest ", el("code", { id: "latest-hash", text: short(latest) })]),
      quarantineRows.length ? el("section", { id: "quarantined" }, [el("h2", { text: "Quarantined" }), el("p", { class: "muted", text: "These versions froze or crashed the local runtime and answer 503 until released or republished." }), table(["hash", "at", "reason", ""], quarantineRows)]) : "",
      el("h2", { text: "Deployments and previews" }), table(["ref", "kind", "hash", "links", ""], refRows),
      el("h2", { text: "Versions" }), versionRows.length ? table(["version", "hash"], versionRows) : el("p", { class: "muted", text: "No versions: tag a commit v1.0.0 or set $version." }),
      el("h2", { text: "History" }), table(["#", "at", "hash", "version", "refs", "from", "author", "message", "contract", ""], publicationRows),
      el("h2", { text: "Recent errors" }), errorRows.length ? table(["at", "kind", "what", "error"], errorRows) : el("p", { class: "muted", id: "no-errors", text: "No errors recorded." }),
    );
  }

  byId("token-form").addEventListener("submit", function (event) {
    event.preventDefault();
    localStorage.setItem(KEY, byId("token").value.trim());
    byId("token").value = "";
    start().catch(function (error) { if (error.message !== SIGNED_OUT) byId("sign-in-error").textContent = error.message; });
  });
  byId("sign-out").addEventListener("click", function () { signOut("Signed out."); });
  window.addEventListener("hashchange", function () {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id && localStorage.getItem(KEY)) showObject(id).catch(function (error) { notice(error.message); });
  });
  start().catch(function (error) { if (error.message !== SIGNED_OUT) notice(error.message); });
})();
`;
