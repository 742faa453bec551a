// Building the page without innerHTML: every value from the API is set as text or as an attribute.
type Props = Record<string, string | boolean | null | undefined | ((event: Event) => void)>;
type Child = Node | string | null | undefined;

export const byId = (id: string): HTMLElement => document.getElementById(id)!;

/** An element: `text` sets its text, `on…` adds a listener, anything else is an attribute; null and undefined are skipped. */
export function el(tag: string, props: Props = {}, children: Child[] = []): HTMLElement {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === "text") node.textContent = String(value);
    else if (typeof value === "function") node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

/** A table; `widths` names a column class per heading (`narrow`, `at`, `hash`, `action`, `actions`, `kind`; "" lets it share the rest). */
export function table(headings: string[], rows: Node[], widths: string[] = []): HTMLElement {
  const columns = widths.length ? el("colgroup", {}, headings.map((_, index) => el("col", { class: widths[index] || null }))) : null;
  return el("table", {}, [columns, el("thead", {}, [el("tr", {}, headings.map((heading) => el("th", { text: heading })))]), el("tbody", {}, rows)]);
}

/** A hash shortened to 12 characters, whole in its title, with a button that copies it whole. */
export function hashCell(hash: string | null | undefined): HTMLElement {
  if (!hash) return el("td", { class: "hash", text: "(none)" });
  const copy = el("button", { type: "button", class: "copy", "aria-label": `Copy ${hash}`, title: "Copy the whole hash", onclick: () => void navigator.clipboard?.writeText(hash).then(() => notice(`Copied ${hash}`)) }, ["copy"]);
  return el("td", { class: "hash" }, [el("code", { title: hash, text: short(hash) }), copy]);
}

/** Text with every whole hex hash in it shortened (a rollback's message names one), for a one-line cell. */
export const shortenHashes = (text: string) => text.replace(/\b[0-9a-f]{40,64}\b/g, (hash) => `${hash.slice(0, 12)}…`);

/** A status line that clears itself after six seconds unless another took its place. */
export function notice(text: string): void {
  byId("notice").textContent = text;
  if (text) setTimeout(() => byId("notice").textContent === text && (byId("notice").textContent = ""), 6000);
}

export const objectPath = (id: string) => `/${id.split("/").map(encodeURIComponent).join("/")}`;
export const short = (hash: string | null | undefined) => (hash ? hash.slice(0, 12) : "(none)");
export const when = (iso: string | null | undefined) => (iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "");
