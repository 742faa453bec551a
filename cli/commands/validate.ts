// `objects validate [dir] [--against <ref>]`: the control plane's own compiler over the working tree; with
// --against, the contract diff of each object against what the server serves at that ref.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { compileFiles, loadRegexChecker, declaredVersion, diffContracts, diffHeadline, diffLines, type CompiledObject, type ContractDiff } from "../../definitions/index.ts";
import { contentHash, versionNaming } from "../../registry/index.ts";
import type { DescribeResponse, Issue, NormalizedDefinition } from "../../schemas/index.ts";
import { objectPath, request } from "../api.ts";
import { CliError, EXIT } from "../errors.ts";
import { readWorkingTree } from "../files.ts";
import type { Command } from "../command.ts";
import { requireToken, serverUrl } from "../settings.ts";

const location = (issue: Issue) => (issue.file ? `${issue.file}${issue.line ? `:${issue.line}${issue.column ? `:${issue.column}` : ""}` : ""}` : issue.path || "(tree)");

/** The published side of a diff, or null when the object (or the ref) does not exist there yet. */
async function published(id: string, ref: string, url: string, token: string): Promise<DescribeResponse | null> {
  try {
    return await request<DescribeResponse>({ url, token }, "GET", objectPath(`${id}@${ref}`));
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.notFound) return null;
    throw error;
  }
}

async function diffAgainst(object: CompiledObject, ref: string, url: string, token: string): Promise<ContractDiff> {
  const before = await published(object.id, ref, url, token);
  const named = before && versionNaming(before, before.hash);
  const from = before && { hash: before.hash, definition: before.definition, ...(named ? { version: named } : {}) };
  const version = declaredVersion(object.definition);
  const to = { hash: await contentHash(object.definition), definition: object.definition, ...(version ? { version } : {}) };
  return diffContracts(from, to);
}

export const validate: Command = {
  usage: "validate [dir] [--against <ref>] [--fail-on-breaking]",
  summary: "compile the definitions of a folder; with --against, diff each object's contract against a published ref",
  options: { against: { type: "string" }, "fail-on-breaking": { type: "boolean" } },
  async run({ positionals, values, out }) {
    const dir = resolve(positionals[0] ?? ".");
    if (!existsSync(dir)) throw new CliError(`${dir} does not exist`, EXIT.usage);
    out.progress(`compiling ${dir}`);
    await loadRegexChecker();
    const { objects, issues, warnings } = compileFiles(readWorkingTree(dir));
    const problems = issues.map((issue) => `${location(issue)} ${issue.message}`);
    const warned = warnings.map((issue) => `${location(issue)} warning: ${issue.message}`);
    const against = values.against as string | undefined;
    const diffs: Record<string, ContractDiff> = {};
    if (against && issues.length === 0) {
      const url = serverUrl(values.url as string | undefined);
      const token = requireToken();
      for (const object of objects) diffs[object.id] = await diffAgainst(object, against, url, token);
    }
    const breaking = Object.values(diffs).some((diff) => diff.breaking);
    const lines = [
      ...problems,
      ...warned,
      ...(issues.length === 0 ? [`${objects.length} object(s) valid: ${objects.map((object) => object.id).join(", ") || "(none)"}`] : [`${issues.length} problem(s)`]),
      ...Object.entries(diffs).flatMap(([id, diff]) => [`${id} against @${against}: ${diffHeadline(diff)}`, ...diffLines(diff).map((line) => `  ${line}`)]),
    ];
    const data = { ok: issues.length === 0, objects: objects.map((object) => ({ id: object.id, source: object.source })), issues, warnings, ...(against ? { against, diffs } : {}) };
    if (issues.length > 0) throw new CliError(lines.join("\n"), EXIT.problems, data);
    if (breaking && values["fail-on-breaking"]) throw new CliError(lines.join("\n"), EXIT.problems, data);
    out.result(lines, data);
  },
};
