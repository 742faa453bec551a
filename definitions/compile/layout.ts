// Where definitions live in a repository (README "Publish with git push", Layouts), pure: which paths are definition
// files and what each one is.

/** `**\/<id>.do.json|yaml|yml`: one file holding a whole definition. */
const SINGLE_FILE = /(^|\/)([^/]+\.do)\.(json|ya?ml)$/;
/** `**\/do.json|yaml|yml`: the identity, config and agent of a folder object. */
const FOLDER_FILE = /(^|\/)do\.(json|ya?ml)$/;

export type FileRole =
  | { role: "single"; id: string }
  | { role: "folder-definition"; folder: string }
  | { role: "method"; folder: string; name: string[] }
  | { role: "event"; folder: string; pattern: string }
  | { role: "schedule"; folder: string; pattern: string }
  | { role: "component"; folder: string; name: string }
  /** `preview/redact.js`: what runs over a forked preview's copy of production state. */
  | { role: "redact"; folder: string }
  | { role: "page"; folder: string; area: "site" | "app"; page: string };

const stripExtension = (name: string, extensions: RegExp) => name.replace(extensions, "");

/** `site/index.md` → `/`, `site/docs/index.mdx` → `/docs`, `site/pricing.md` → `/pricing`. */
function pagePath(segments: string[]): string {
  const parts = [...segments];
  parts[parts.length - 1] = stripExtension(parts.at(-1)!, /\.mdx?$/);
  if (parts.at(-1) === "index") parts.pop();
  return `/${parts.join("/")}`;
}

/**
 * The role of one path, given the folders that hold a `do.*` file (`""` for the repository root), or null when the
 * path is no part of any definition (READMEs, tooling, binaries: never read).
 */
export function roleOf(path: string, folders: ReadonlySet<string>): FileRole | null {
  const single = SINGLE_FILE.exec(path);
  if (single) return { role: "single", id: single[2]! };
  const folderFile = FOLDER_FILE.exec(path);
  if (folderFile) return { role: "folder-definition", folder: path.slice(0, folderFile.index) };
  const segments = path.split("/");
  // The nearest enclosing object folder owns the file.
  for (let cut = segments.length - 2; cut >= 0; cut--) {
    const folder = segments.slice(0, cut).join("/");
    if (!folders.has(folder)) continue;
    const [area, ...rest] = segments.slice(cut);
    if (rest.length === 0) return null;
    const last = rest.at(-1)!;
    if (area === "api" && last.endsWith(".js")) return { role: "method", folder, name: [...rest.slice(0, -1), stripExtension(last, /\.js$/)] };
    if (area === "events" && rest.length === 1 && last.endsWith(".js")) return { role: "event", folder, pattern: stripExtension(last, /\.js$/) };
    if (area === "schedules" && rest.length === 1 && last.endsWith(".js")) return { role: "schedule", folder, pattern: stripExtension(last, /\.js$/) };
    if (area === "components" && rest.length === 1 && last.endsWith(".js")) return { role: "component", folder, name: stripExtension(last, /\.js$/) };
    if (area === "preview" && rest.length === 1 && last === "redact.js") return { role: "redact", folder };
    if ((area === "site" || area === "app") && /\.mdx?$/.test(last)) return { role: "page", folder, area, page: pagePath(rest) };
    return null;
  }
  return null;
}

/** The folders holding a `do.json`/`do.yaml` among a list of paths. */
export function objectFolders(paths: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const path of paths) {
    const match = FOLDER_FILE.exec(path);
    if (match) folders.add(path.slice(0, match.index));
  }
  return folders;
}

/** The paths that take part in some definition: the only files a reader needs to fetch. */
export function definitionPaths(paths: readonly string[]): string[] {
  const folders = objectFolders(paths);
  return paths.filter((path) => roleOf(path, folders) !== null);
}
