// Turns zod's issues into located issues (JSON pointer, kebab-case code, message), one per problem.
import type { z } from "zod";
import type { Issue } from "../schemas/index.ts";
import { pointerSegment } from "./json-text.ts";

type ZodIssue = z.core.$ZodIssue;
type Path = ReadonlyArray<PropertyKey>;

const pointer = (path: Path) => path.map((key) => `/${pointerSegment(String(key))}`).join("");
const kebab = (code: string) => code.replaceAll("_", "-");

function valueAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const key of path) value = value === null || typeof value !== "object" ? undefined : (value as Record<PropertyKey, unknown>)[key];
  return value;
}

// A union branch "fits" when none of its issues says the value itself has the wrong type or unknown keys.
const fits = (branch: ZodIssue[]) =>
  !branch.some((issue) => issue.path.length === 0 && (issue.code === "invalid_type" || issue.code === "unrecognized_keys"));

/** Located issues for every zod issue; a failed union reports the branch the value was shaped like. */
export function issuesFromZod(issues: readonly ZodIssue[], input: unknown, base: Path = []): Issue[] {
  return issues.flatMap((issue): Issue[] => {
    const path = [...base, ...issue.path];
    if (issue.code === "invalid_union") {
      const branch = issue.errors.find(fits);
      if (branch) return issuesFromZod(branch, input, path);
      return [{ path: pointer(path), code: "invalid-type", message: issue.message }];
    }
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: pointer([...path, key]), code: "unknown-key", message: `unknown key "${key}"` }));
    }
    if (issue.code === "invalid_key") {
      const detail = issue.issues[0]?.message ?? issue.message;
      return [{ path: pointer(path), code: "invalid-key", message: `"${String(path.at(-1))}": ${detail}` }];
    }
    if (issue.code === "invalid_type" && valueAt(input, path) === undefined) {
      return [{ path: pointer(path), code: "missing", message: `required: expected ${issue.expected}` }];
    }
    return [{ path: pointer(path), code: kebab(issue.code), message: issue.message }];
  });
}
