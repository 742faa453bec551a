// The built-in page components (pure): each turns its props and rendered children into hast. Their markup uses
// `od-` classes the page stylesheet knows; every value from props lands in a text node or a sanitized attribute
// (the page's renderer sanitizes and rebases links after them, as for any other markup).
import type { Element, ElementContent } from "hast";

export interface BuiltinContext {
  /** Site pages of the object (`/`, `/docs/intro`, …), for navigation. */
  pages: string[];
}

type Props = Record<string, unknown>;
type Builtin = (props: Props, children: ElementContent[], context: BuiltinContext) => ElementContent[];

const text = (value: unknown): ElementContent => ({ type: "text", value: value === undefined || value === null ? "" : String(value) });
const el = (tagName: string, properties: Element["properties"], children: ElementContent[]): Element => ({ type: "element", tagName, properties, children });
const box = (name: string, children: ElementContent[]) => el("div", { className: [`od-${name}`] }, children);
const href = (value: unknown) => (typeof value === "string" ? value : "/");

/** A visible stand-in for a component that cannot render: the page still renders around it. */
export function placeholder(name: string, reason: string): ElementContent {
  return box("placeholder", [el("strong", {}, [text(`<${name}>`)]), text(` ${reason}`)]);
}

const Hero: Builtin = (props, children) => [
  el("section", { className: ["od-hero"] }, [
    el("h1", {}, [text(props.title ?? "")]),
    ...(props.subtitle ?? props.tagline ? [el("p", { className: ["od-lead"] }, [text(props.subtitle ?? props.tagline)])] : []),
    ...children,
    ...(props.cta ? [el("p", {}, [el("a", { href: href(props.href), className: ["od-button"] }, [text(props.cta)])])] : []),
  ]),
];

interface Plan {
  name?: unknown;
  price?: unknown;
  features?: unknown;
  cta?: unknown;
  href?: unknown;
}

const PricingTable: Builtin = (props, children) => {
  const plans = props.plans;
  if (!Array.isArray(plans)) return children.length ? [box("pricing", children)] : [placeholder("PricingTable", 'needs plans={[{ name, price, features }]}')];
  return [
    box(
      "pricing",
      (plans as Plan[]).slice(0, 12).map((plan) =>
        box("plan", [
          el("h3", {}, [text(plan?.name)]),
          el("p", { className: ["od-price"] }, [text(plan?.price)]),
          el("ul", {}, (Array.isArray(plan?.features) ? plan.features : []).slice(0, 50).map((feature: unknown) => el("li", {}, [text(feature)]))),
          ...(plan?.cta ? [el("p", {}, [el("a", { href: href(plan.href), className: ["od-button"] }, [text(plan.cta)])])] : []),
        ]),
      ),
    ),
  ];
};

const DocsNav: Builtin = (props, _children, context) => {
  const prefix = typeof props.prefix === "string" ? props.prefix : "/docs";
  const pages = context.pages.filter((page) => page === prefix || page.startsWith(`${prefix}/`));
  return [el("div", { className: ["od-docsnav"] }, [el("ul", {}, pages.map((page) => el("li", {}, [el("a", { href: page }, [text(page)])])))])];
};

const Callout: Builtin = (props, children) => {
  const kind = ["note", "tip", "warning"].includes(String(props.type)) ? String(props.type) : "note";
  return [el("div", { className: ["od-callout", `od-${kind}`] }, [...(props.title ? [el("strong", {}, [text(props.title)])] : []), ...children])];
};

export const BUILTINS: Record<string, Builtin> = { Hero, PricingTable, DocsNav, Callout };
