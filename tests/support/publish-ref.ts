// Publishes a definition to a ref of the registry directly (a branch's `heads/x`, a preview's `pr-7` or
// `preview-<topic>`), as a push of that ref would: for workers tests of environments without a git client.
import { env } from "cloudflare:workers";
import { registryOf } from "../../bindings.ts";
import { compileDefinition, loadRegexChecker } from "../../definitions/index.ts";

/** Publishes `body` as object `id` to `ref` only; the content hash. */
export async function publishToRef(id: string, body: Record<string, unknown>, ref: string, commit = "f".repeat(40)): Promise<string> {
  await loadRegexChecker();
  const compiled = compileDefinition(body, { id });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  const result = await registryOf(env).publish({ definition: compiled.definition, refs: [ref], provenance: { source: "git", repo: "test", commit } });
  return result.hash;
}
