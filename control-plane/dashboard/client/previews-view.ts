// One object's previews (pull requests' and pushed topics'): age, last push, expiry, state and its size, with
// "Reset to production" and "Delete", each confirmed first: both throw the preview's data away.
import { sizeText, spanText } from "../../../schemas/text.ts";
import { pullRequestOf } from "../../../schemas/preview-ref.ts";
import type { PreviewEntry } from "../../../schemas/index.ts";
import { api } from "./api.ts";
import { el, notice, table } from "./dom.ts";

const previewPath = (preview: PreviewEntry) => `/_/previews/${encodeURIComponent(`${preview.id}@${preview.ref}`).replaceAll("%40", "@")}`;

const size = (bytes: number | undefined) => (bytes === undefined ? "?" : sizeText(bytes));

async function act(preview: PreviewEntry, action: "reset" | "delete", done: () => Promise<void>): Promise<void> {
  const name = `${preview.id}@${preview.ref}`;
  const question = action === "reset" ? `Reset ${name} to production? Its data is replaced by ${preview.state === "fork" ? "a new copy of production's" : "nothing (it starts empty)"}.` : `Delete ${name} and its data?`;
  if (!confirm(question)) return;
  try {
    const answer = action === "reset" ? await api<{ note?: string }>("POST", `${previewPath(preview)}/reset`) : await api<null>("DELETE", previewPath(preview));
    notice(action === "reset" ? `${name}: ${answer?.note ?? "state emptied"}` : `${name} deleted with its state`);
    await done();
  } catch (error) {
    notice(`${action === "reset" ? "Reset" : "Delete"} failed: ${(error as Error).message}`);
  }
}

/** The previews section of an object's page; `done` redraws the page after an action. */
export async function previewsSection(id: string, done: () => Promise<void>): Promise<HTMLElement> {
  const { previews } = await api<{ previews: PreviewEntry[] }>("GET", "/_/previews").catch(() => ({ previews: [] as PreviewEntry[] }));
  const mine = previews.filter((preview) => preview.id === id);
  if (mine.length === 0) return el("p", { class: "muted", id: "no-previews", text: "No previews: open a pull request, or git push objects HEAD:refs/for/main/<topic>." });
  const now = Date.now();
  const rows = mine.map((p) =>
    el("tr", { "data-preview": p.ref }, [
      el("td", { class: "clip" }, [el("a", { href: `/${p.id}@${p.ref}/`, text: p.ref })]),
      el("td", { class: "clip", text: p.source === "git" ? (p.gitRef ?? p.repo) : `${p.repo} #${pullRequestOf(p.ref) ?? p.ref}` }),
      el("td", { text: spanText(now - p.createdAt) }),
      el("td", { text: `${spanText(now - p.pushedAt)} ago` }),
      el("td", { text: p.expiresAt > now ? `in ${spanText(p.expiresAt - now)}` : "due" }),
      el("td", { text: `${p.state} · ${size(p.stateBytes)}` }),
      el("td", {}, [el("button", { type: "button", onclick: () => act(p, "reset", done) }, ["Reset to production"]), " ", el("button", { type: "button", onclick: () => act(p, "delete", done) }, ["Delete"])]),
    ]),
  );
  return table(["preview", "from", "age", "last push", "expires", "state", "actions"], rows, ["", "", "narrow", "at", "narrow", "", "actions"]);
}
