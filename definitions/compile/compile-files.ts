// Compiles the files of one commit into normalized definitions, or returns every problem with file and line (pure).
import { checkObjectId, idKey, printable, type Issue, type NormalizedDefinition } from "../../schemas/index.ts";
import { compileDefinition } from "./compile-definition.ts";
import { parseDataFile, type Position } from "./data-file.ts";
import { pointerOf } from "../../core/index.ts";
import { objectFolders, roleOf } from "./layout.ts";
import { readMethodFile } from "./method-file.ts";
import { startsWithBom } from "./text-checks.ts";

/** One entry of a commit's tree, as the reader hands it over (only definition files carry content). */
export type RepoEntry =
  | { kind: "file"; path: string; content: string }
  | { kind: "symlink"; path: string }
  | { kind: "submodule"; path: string }
  | { kind: "too-large"; path: string; bytes: number }
  /** A file whose bytes are not UTF-8: where the first invalid byte is. */
  | { kind: "not-utf8"; path: string; line: number; column: number }
  /** A tree entry whose name could escape its place (`..`, `.git`, a slash): refused, never written anywhere. */
  | { kind: "unsafe"; path: string };

export interface CompiledObject {
  id: string;
  /** The definition file, or the folder of a folder object. */
  source: string;
  files: string[];
  definition: NormalizedDefinition;
}

export interface FilesResult {
  objects: CompiledObject[];
  issues: Issue[];
  warnings: Issue[];
}

export const MAX_OBJECTS_PER_COMMIT = 500;
export const MAX_DEFINITION_FILE_BYTES = 1_048_576;

/** Where a pointer of a draft came from: a data file (located through it) or a method file (a fixed start). */
type Origin = { file: string; locate(path: Array<string | number>): Position } | { file: string; start: Position };

interface Draft {
  id?: string;
  /** The do.json/do.yaml did not parse: its parts are still checked, the object is not compiled. */
  broken?: boolean;
  source: string;
  raw: Record<string, unknown>;
  files: string[];
  /** Pointer prefix → where it came from; the longest matching prefix wins. */
  origins: Array<[string, Origin]>;
}

const issueAt = (file: string, position: Position, code: string, message: string, path = ""): Issue => ({ path, code, message, file, line: position.line, column: position.column });
const basename = (path: string) => path.slice(path.lastIndexOf("/") + 1);

function setIn(target: Record<string, unknown>, path: string[], value: unknown): boolean {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node = node[key] = {};
    else if (next !== null && typeof next === "object" && !Array.isArray(next)) node = next as Record<string, unknown>;
    else return false;
  }
  if (node[path.at(-1)!] !== undefined) return false;
  node[path.at(-1)!] = value;
  return true;
}

/** Places an issue of `compileDefinition` at the file and line its pointer came from. */
function locateIssue(issue: Issue, draft: Draft): Issue {
  const match = draft.origins.filter(([prefix]) => issue.path === prefix || issue.path.startsWith(`${prefix}/`) || prefix === "").sort((a, b) => b[0].length - a[0].length)[0];
  if (!match) return { ...issue, file: draft.source };
  const [prefix, origin] = match;
  if ("start" in origin) {
    // A source line counts from the function's first line in the file.
    const line = (issue.line ?? 1) + origin.start.line - 1;
    const column = (issue.line ?? 1) === 1 ? (issue.column ?? 1) + origin.start.column - 1 : (issue.column ?? 1);
    return { ...issue, file: origin.file, line, column };
  }
  // Inside a JSON/YAML file, an issue is reported where its pointer's value starts (a source string's own lines
  // do not map to file lines: JSON writes them escaped on one line).
  const segments = issue.path.slice(prefix.length).split("/").slice(1).map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
  return { ...issue, file: origin.file, ...origin.locate(segments) };
}

/** Where an object's id is written: its `$id`, else the name of its file or folder (line 1). */
function idPosition(draft: Draft): Position {
  const origin = draft.origins[0]?.[1];
  return typeof draft.raw.$id === "string" && origin && "locate" in origin ? origin.locate(["$id"]) : { line: 1, column: 1 };
}

function dataDraft(path: string, text: string, source: string, issues: Issue[]): Draft | null {
  const parsed = parseDataFile(path, text);
  if (!parsed.ok) {
    issues.push(issueAt(path, parsed.position, parsed.code ?? "parse-error", parsed.message));
    for (const more of parsed.more ?? []) issues.push(issueAt(path, more.position, more.code, more.message));
    return null;
  }
  if (parsed.value === null || typeof parsed.value !== "object" || Array.isArray(parsed.value)) {
    issues.push(issueAt(path, { line: 1, column: 1 }, "invalid-type", "a definition file holds one object"));
    return null;
  }
  const raw = parsed.value as Record<string, unknown>;
  return { ...(typeof raw.$id === "string" ? { id: raw.$id } : {}), source, raw, files: [path], origins: [["", { file: path, locate: parsed.locate }]] };
}

/**
 * Turns a commit's entries into one definition per object: `<id>.do.json|yaml` files, and folders holding
 * `do.json|yaml` with `api/`, `events/`, `schedules/`, `components/`, `site/`, `app/`. Returns every problem at once; a caller
 * publishes nothing from a commit that has any.
 */
export function compileFiles(entries: readonly RepoEntry[]): FilesResult {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const folders = objectFolders(entries.filter((entry) => entry.kind === "file").map((entry) => entry.path));
  const drafts = new Map<string, Draft>();
  const parts: Array<{ path: string; content: string; role: NonNullable<ReturnType<typeof roleOf>> }> = [];

  for (const entry of entries) {
    const role = roleOf(entry.path, folders);
    if (entry.kind === "unsafe") issues.push(issueAt(entry.path, { line: 1, column: 1 }, "unsafe-path", "this tree entry's name is not a safe path"));
    else if (entry.kind === "submodule") warnings.push({ path: "", file: entry.path, code: "submodule-ignored", message: "submodules are never fetched" });
    else if (entry.kind === "symlink" && role) issues.push(issueAt(entry.path, { line: 1, column: 1 }, "symlink-not-allowed", "is a symlink: definition files must be regular files"));
    else if (entry.kind === "too-large" && role) issues.push(issueAt(entry.path, { line: 1, column: 1 }, "file-too-large", `${entry.bytes} bytes: a definition file may hold at most ${MAX_DEFINITION_FILE_BYTES}`));
    else if (entry.kind === "not-utf8" && role) issues.push(issueAt(entry.path, entry, "invalid-utf8", "is not valid UTF-8 here: definition files are UTF-8 text"));
    else if (entry.kind === "file" && role && startsWithBom(entry.content)) issues.push(issueAt(entry.path, { line: 1, column: 1 }, "byte-order-mark", "starts with a byte order mark (U+FEFF): save the file as UTF-8 without BOM"));
    else if (entry.kind === "file" && role) {
      if (role.role === "single") {
        const draft = dataDraft(entry.path, entry.content, entry.path, issues);
        if (draft) drafts.set(entry.path, { ...draft, id: draft.id ?? role.id });
      } else if (role.role === "folder-definition") {
        const draft = dataDraft(entry.path, entry.content, role.folder || "/", issues);
        if (draft) drafts.set(`folder:${role.folder}`, { ...draft, ...(draft.id || !role.folder ? {} : { id: basename(role.folder) }) });
        else drafts.set(`folder:${role.folder}`, { broken: true, source: role.folder, raw: {}, files: [entry.path], origins: [] });
      } else parts.push({ path: entry.path, content: entry.content, role });
    }
  }

  for (const { path, content, role } of parts) {
    if (role.role === "single" || role.role === "folder-definition") continue;
    const draft = drafts.get(`folder:${role.folder}`);
    if (!draft) continue;
    draft.files.push(path);
    if (role.role === "page") {
      const area = role.area;
      if (typeof draft.raw[area] === "string") draft.raw[area] = { "/": draft.raw[area] };
      if (!setIn(draft.raw, [area, role.page], content)) issues.push(issueAt(path, { line: 1, column: 1 }, "duplicate", `page ${role.page} is defined twice`));
      draft.origins.push([pointerOf([area, role.page]), { file: path, start: { line: 1, column: 1 } }]);
      continue;
    }
    const read = readMethodFile(content);
    if (!read.ok) {
      issues.push(issueAt(path, read.position, read.code, read.message));
      continue;
    }
    const keyPath =
      role.role === "method" ? ["api", ...role.name]
      : role.role === "component" ? ["components", role.name]
      : role.role === "redact" ? ["preview", "redact"]
      : [role.role === "event" ? "events" : "schedules", role.pattern];
    if (!setIn(draft.raw, keyPath, read.source)) issues.push(issueAt(path, read.start, "duplicate", `${keyPath.join(".")} is defined twice`));
    draft.origins.push([pointerOf(keyPath), { file: path, start: read.start }]);
  }

  const objects: CompiledObject[] = [];
  // Keyed by the id after NFC and lowercasing: `Foo.do.json` and `foo.do.json` (or NFC/NFD twins) are one object.
  const seen = new Map<string, string>();
  for (const draft of drafts.values()) {
    if (draft.broken) continue;
    const file = draft.files[0]!;
    if (!draft.id) {
      issues.push(issueAt(file, { line: 1, column: 1 }, "missing", "a do.json at the repository root needs a $id", "/$id"));
      continue;
    }
    const where = idPosition(draft);
    const earlier = seen.get(idKey(draft.id));
    if (earlier !== undefined) {
      const [first, second] = [file, earlier].sort();
      issues.push(issueAt(file, where, "duplicate-id", `${printable(first!)} and ${printable(second!)} both define the object ${printable(idKey(draft.id))} (ids are compared after NFC normalization and lowercasing)`, "/$id"));
      continue;
    }
    seen.set(idKey(draft.id), file);
    const check = checkObjectId(draft.id);
    if (!check.ok) {
      issues.push(issueAt(file, where, "id-invalid", check.message, "/$id"));
      continue;
    }
    const compiled = compileDefinition(draft.raw, { id: draft.id });
    if (compiled.ok) {
      objects.push({ id: draft.id, source: draft.source, files: draft.files, definition: compiled.definition });
      warnings.push(...compiled.warnings.map((warning) => locateIssue(warning, draft)));
    }
    else issues.push(...compiled.issues.map((issue) => locateIssue(issue, draft)));
  }
  if (objects.length + issues.length > 0 && seen.size > MAX_OBJECTS_PER_COMMIT) {
    issues.push({ path: "", code: "quota-objects", message: `${seen.size} objects in one commit: at most ${MAX_OBJECTS_PER_COMMIT}` });
  }
  const order = (a: Issue, b: Issue) => (a.file ?? "").localeCompare(b.file ?? "") || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
  return { objects: objects.sort((a, b) => a.id.localeCompare(b.id)), issues: issues.sort(order), warnings };
}
