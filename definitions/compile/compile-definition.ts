// Compiles one raw definition into a normalized one, or returns every located issue at once (pure).
import semver from "semver";
import { AppAuthSchema, checkObjectId, DefinitionSchema, LimitsSchema, PreviewConfigSchema, RolloutConfigSchema, type ApiNamespace, type Issue, type NormalizedDefinition } from "../../schemas/index.ts";
import { listMethods } from "../methods.ts";
import { MAX_SCHEDULES, scheduleCron } from "../schedule.ts";
import { checkFunctionSource } from "./check-source.ts";
import { functionSources } from "./function-sources.ts";
import { pageIssues } from "../pages/page-issues.ts";
import { forbiddenKeyIssues, withoutForbiddenKeys, issuesFromZod } from "../../core/index.ts";
import { badStringIssues } from "./text-checks.ts";

/** `warnings` are located like issues, and publish nothing less (patterns that cannot be checked, say). */
export type CompileResult = { ok: true; definition: NormalizedDefinition; warnings: Issue[] } | { ok: false; issues: Issue[] };

export interface CompileOptions {
  /** The object id the definition is published under (from the URL or the file's place in the repository). */
  id: string;
  /** The file the definition came from, added to every issue. */
  file?: string;
}

const HEX_COMMIT = /^[0-9a-f]{7,40}$/;

/** The semver version a definition declares through `$version`, if it declares one. */
export function declaredVersion(definition: { $version?: string | undefined }): string | undefined {
  const version = definition.$version;
  return version && !HEX_COMMIT.test(version) ? (semver.valid(version) ?? undefined) : undefined;
}

function sourceIssues(definition: Record<string, unknown>, warnings: Issue[]): Issue[] {
  const { sources, issues } = functionSources(definition);
  for (const { pointer, source } of sources) {
    const check = checkFunctionSource(source);
    if (!check.ok) issues.push({ path: pointer, code: check.code, message: check.message, line: check.line, column: check.column });
    else for (const warning of check.warnings) warnings.push({ path: pointer, ...warning });
  }
  return issues;
}

function scheduleIssues(definition: Record<string, unknown>): Issue[] {
  const schedules = definition.schedules;
  if (schedules === null || typeof schedules !== "object" || Array.isArray(schedules)) return [];
  const patterns = Object.keys(schedules);
  const issues: Issue[] = patterns.flatMap((pattern) => {
    const parsed = scheduleCron(pattern);
    return parsed.ok ? [] : [{ path: `/schedules/${pattern.replaceAll("~", "~0").replaceAll("/", "~1")}`, code: "schedule-invalid", message: parsed.message }];
  });
  if (patterns.length > MAX_SCHEDULES) issues.push({ path: "/schedules", code: "quota-schedules", message: `at most ${MAX_SCHEDULES} schedules per object` });
  return issues;
}

/** `config.rollout.methods` names methods or schedules the definition has: a ramp of nothing would promote unseen. */
function rolloutTargetIssues(definition: Record<string, unknown>): Issue[] {
  const parsed = RolloutConfigSchema.safeParse((definition.config as Record<string, unknown> | undefined)?.rollout);
  if (!parsed.success || !parsed.data.methods) return [];
  const api = definition.api && typeof definition.api === "object" ? (definition.api as ApiNamespace) : undefined;
  const schedules = definition.schedules && typeof definition.schedules === "object" ? Object.keys(definition.schedules) : [];
  const known = new Set([...listMethods({ ...(api ? { api } : {}) }).map((method) => method.name), ...schedules]);
  return parsed.data.methods.flatMap((name, i) =>
    known.has(name) ? [] : [{ path: `/config/rollout/methods/${i}`, code: "rollout-method-unknown", message: `"${name.slice(0, 80)}" is neither a method nor a schedule of this definition` }],
  );
}

/** `config.auth`, `config.limits`, `config.preview` and `config.rollout` are checked at publish, so a broken setup never goes live. */
function configIssues(definition: Record<string, unknown>): Issue[] {
  const config = definition.config as Record<string, unknown> | undefined;
  if (!config || typeof config !== "object") return [];
  return (
    [
      ["auth", AppAuthSchema],
      ["limits", LimitsSchema],
      ["preview", PreviewConfigSchema],
      ["rollout", RolloutConfigSchema],
    ] as const
  ).flatMap(([key, schema]) => {
    if (config[key] === undefined) return [];
    const parsed = schema.safeParse(config[key]);
    return parsed.success ? [] : issuesFromZod(parsed.error.issues, definition, ["config", key]);
  }).concat(rolloutTargetIssues(definition));
}

function identityIssues(definition: Record<string, unknown>, id: string): Issue[] {
  const issues: Issue[] = [];
  const check = checkObjectId(id);
  if (!check.ok) issues.push({ path: "/$id", code: "id-invalid", message: check.message });
  else if (typeof definition.$id === "string" && definition.$id !== id) {
    issues.push({ path: "/$id", code: "id-mismatch", message: `$id "${definition.$id}" differs from the object id "${id}"` });
  }
  const version = definition.$version;
  if (typeof version === "string" && !HEX_COMMIT.test(version) && !semver.valid(version)) {
    issues.push({ path: "/$version", code: "version-invalid", message: `"${version}" is neither a semver version nor a commit sha` });
  }
  return issues;
}

function normalize(definition: Record<string, unknown>, id: string): NormalizedDefinition {
  const { $schema: _editorHint, site, ...rest } = definition;
  return {
    ...(rest as Omit<NormalizedDefinition, "$id">),
    $id: id,
    ...(site === undefined ? {} : { site: typeof site === "string" ? { "/": site } : (site as Record<string, string>) }),
  };
}

/** Validates a parsed definition against the schema, the source checks and the id; all issues, sorted by path. */
export function compileDefinition(raw: unknown, { id, file }: CompileOptions): CompileResult {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, issues: [{ path: "", code: "invalid-type", message: "a definition is a JSON object", ...(file ? { file } : {}) }] };
  }
  const forbidden = forbiddenKeyIssues(raw);
  const clean = (forbidden.length ? withoutForbiddenKeys(raw) : raw) as Record<string, unknown>;
  const parsed = DefinitionSchema.safeParse(clean);
  const warnings: Issue[] = [];
  const issues = [
    ...forbidden,
    ...badStringIssues(clean),
    ...(parsed.success ? [] : issuesFromZod(parsed.error.issues, clean)),
    ...sourceIssues(clean, warnings),
    ...scheduleIssues(clean),
    ...identityIssues(clean, id),
    ...pageIssues(clean),
    ...configIssues(clean),
  ]
    .map((issue) => (file ? { ...issue, file } : issue))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, definition: normalize(parsed.data as Record<string, unknown>, id), warnings: warnings.map((warning) => (file ? { ...warning, file } : warning)) };
}
