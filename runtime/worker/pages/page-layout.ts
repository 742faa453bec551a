// The HTML document around a rendered page (pure): title, a readable stylesheet, and a bar linking the object's
// site pages. Only the page body comes from the definition, already sanitized; everything else is escaped here.
import type { Element, ElementContent, Root } from "hast";
import { toHtml } from "hast-util-to-html";

export interface PageChrome {
  /** The object id: the site's name in the bar and the title's suffix. */
  name: string;
  title: string | undefined;
  /** Links in the bar: the object's top-level site pages. */
  nav: Array<{ label: string; href: string; current: boolean }>;
}

const STYLE = `
:root { color-scheme: light dark; --accent: #f6821f; --muted: #6b7280; --line: #e5e7eb; }
* { box-sizing: border-box; }
body { margin: 0; font: 17px/1.6 system-ui, -apple-system, "Segoe UI", sans-serif; }
header { border-bottom: 1px solid var(--line); }
header nav, main { max-width: 46rem; margin: 0 auto; padding: 0 1.25rem; }
header nav { display: flex; gap: 1.25rem; align-items: center; height: 3.5rem; }
header a { color: inherit; text-decoration: none; }
header a.od-site { font-weight: 700; margin-right: auto; }
header a[aria-current] { color: var(--accent); }
main { padding-top: 2rem; padding-bottom: 4rem; }
a { color: var(--accent); }
pre { overflow-x: auto; padding: 1rem; border: 1px solid var(--line); border-radius: 6px; }
code { font: 0.9em ui-monospace, SFMono-Regular, Menlo, monospace; }
table { border-collapse: collapse; } th, td { border: 1px solid var(--line); padding: 0.4rem 0.7rem; }
.od-hero { padding: 3rem 0 2rem; } .od-hero h1 { font-size: 2.6rem; line-height: 1.15; margin: 0 0 1rem; }
.od-lead { font-size: 1.25rem; color: var(--muted); }
.od-button { display: inline-block; padding: 0.6rem 1.2rem; border-radius: 6px; background: var(--accent); color: #fff; text-decoration: none; }
.od-pricing { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: 1rem; }
.od-plan { border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; }
.od-price { font-size: 1.6rem; font-weight: 700; margin: 0; }
.od-callout { border-left: 4px solid var(--accent); padding: 0.5rem 1rem; margin: 1rem 0; background: rgba(246,130,31,0.08); }
.od-warning { border-color: #dc2626; } .od-tip { border-color: #16a34a; }
.od-placeholder, .od-error { display: inline-block; border: 1px dashed #dc2626; color: #dc2626; padding: 0.2rem 0.5rem; border-radius: 4px; }
`;

const text = (value: string): ElementContent => ({ type: "text", value });
const el = (tagName: string, properties: Element["properties"], children: ElementContent[]): Element => ({ type: "element", tagName, properties, children });

/** A whole HTML document; `body` is the page's sanitized HTML. */
export function pageDocument(chrome: PageChrome, body: string): string {
  const title = chrome.title ? `${chrome.title} · ${chrome.name}` : chrome.name;
  const home = chrome.nav.find((item) => item.label === "/")?.href ?? "/";
  const links = chrome.nav
    .filter((item) => item.label !== "/")
    .map((item) => el("a", { href: item.href, ...(item.current ? { ariaCurrent: "page" } : {}) }, [text(item.label)]));
  const head = el("head", {}, [
    el("meta", { charSet: "utf-8" }, []),
    el("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }, []),
    el("title", {}, [text(title)]),
    el("style", {}, [text(STYLE)]),
  ]);
  const header = el("header", {}, [el("nav", {}, [el("a", { href: home, className: ["od-site"] }, [text(chrome.name)]), ...links])]);
  const shell: Root = { type: "root", children: [{ type: "doctype" }, el("html", { lang: "en" }, [head, el("body", {}, [header, el("main", {}, [{ type: "raw", value: body } as unknown as ElementContent])])])] };
  return toHtml(shell, { allowDangerousHtml: true });
}
