// git's rules for ref names (`git check-ref-format`), pure: a name git itself would refuse never moves anything.
import { printable } from "../../schemas/index.ts";

const FORBIDDEN = /[\u0000-\u0020\u007f~^:?*[\\]/;

/** Why git refuses the full ref name `name` (`refs/heads/x`), or null when it accepts it. */
export function refFormatProblem(name: string): string | null {
  const bad = (why: string) => `"${printable(name.slice(0, 120))}" is not a valid git ref name: ${why}`;
  const character = FORBIDDEN.exec(name)?.[0];
  if (character !== undefined) return bad(`it holds ${character <= " " || character === "\u007f" ? `the control character U+${character.charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}` : `"${character}"`}`);
  if (name === "@") return bad(`it is "@"`);
  if (name.includes("@{")) return bad(`it holds "@{"`);
  if (name.includes("..")) return bad(`it holds ".."`);
  if (name.startsWith("/") || name.endsWith("/") || name.includes("//")) return bad("it has an empty component");
  if (name.endsWith(".")) return bad(`it ends with "."`);
  for (const component of name.split("/")) {
    if (component.startsWith(".")) return bad(`a component starts with "."`);
    if (component.endsWith(".lock")) return bad(`a component ends with ".lock"`);
  }
  if (!name.includes("/")) return bad("it has one component only");
  return null;
}
