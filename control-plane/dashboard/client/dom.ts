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

export function table(headings: string[], rows: Node[]): HTMLElement {
  return el("table", {}, [el("thead", {}, [el("tr", {}, headings.map((heading) => el("th", { text: heading })))]), el("tbody", {}, rows)]);
}

/** A status line that clears itself after six seconds unless another took its place. */
export function notice(text: string): void {
  byId("notice").textContent = text;
  if (text) setTimeout(() => byId("notice").textContent === text && (byId("notice").textContent = ""), 6000);
}

export const objectPath = (id: string) => `/${id.split("/").map(encodeURIComponent).join("/")}`;
export const short = (hash: string | null | undefined) => (hash ? hash.slice(0, 12) : "(none)");
export const when = (iso: string | null | undefined) => (iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "");
