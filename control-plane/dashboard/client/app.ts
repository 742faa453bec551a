// The dashboard's script, served as /_/dashboard/app.js: plain DOM, no framework. Signs in with a pasted management
// token, lists the objects it covers and shows the one named in the URL's fragment.
import type { ListingResponse, WhoamiResponse } from "../../../schemas/index.ts";
import { api, SIGNED_OUT, TOKEN_KEY, whenSignedOut } from "./api.ts";
import { byId, el, notice, short, when } from "./dom.ts";
import { showObject, whenMoved } from "./object-view.ts";

let current: string | null = null;

function signOut(message: string): void {
  localStorage.removeItem(TOKEN_KEY);
  byId("main").hidden = true;
  byId("sign-out").hidden = true;
  byId("who").textContent = "";
  byId("sign-in").hidden = false;
  byId("sign-in-error").textContent = message;
}

async function loadObjects(): Promise<void> {
  const listing = await api<ListingResponse>("GET", "/_/objects?limit=500");
  const list = byId("objects");
  list.replaceChildren();
  byId("objects-empty").hidden = listing.objects.length > 0;
  for (const entry of listing.objects) {
    const open = () => void (location.hash = encodeURIComponent(entry.id));
    const detail = `${short(entry.latest)} · ${when(entry.updatedAt)}${entry.message ? ` · ${entry.message}` : ""}`;
    list.append(el("li", {}, [el("button", { type: "button", "data-object": entry.id, "aria-current": String(entry.id === current), onclick: open }, [el("strong", { text: entry.id }), el("br"), el("small", { text: detail })])]));
  }
}

const show = (id: string) => {
  current = id;
  return showObject(id);
};

async function start(): Promise<void> {
  if (!localStorage.getItem(TOKEN_KEY)) return signOut("");
  const who = await api<WhoamiResponse>("GET", "/_/whoami");
  byId("who").textContent = `${who.subject} · ${who.scopes.join(" ")}`;
  byId("sign-in").hidden = true;
  byId("main").hidden = false;
  byId("sign-out").hidden = false;
  await loadObjects();
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (wanted) await show(wanted);
}

const unlessSignedOut = (report: (message: string) => void) => (error: Error) => error.message !== SIGNED_OUT && report(error.message);

whenSignedOut(signOut);
whenMoved(loadObjects);
byId("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = byId("token") as HTMLInputElement;
  localStorage.setItem(TOKEN_KEY, input.value.trim());
  input.value = "";
  start().catch(unlessSignedOut((message) => (byId("sign-in-error").textContent = message)));
});
byId("sign-out").addEventListener("click", () => signOut("Signed out."));
window.addEventListener("hashchange", () => {
  const id = decodeURIComponent(location.hash.slice(1));
  if (id && localStorage.getItem(TOKEN_KEY)) show(id).catch((error: Error) => notice(error.message));
});
start().catch(unlessSignedOut(notice));
