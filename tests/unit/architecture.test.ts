import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("../..", import.meta.url).pathname;
function sources(folder: string): string[] {
  return readdirSync(join(root, folder)).flatMap((name) => {
    const path = join(folder, name);
    return statSync(join(root, path)).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}
const importsOf = (file: string) => [...readFileSync(join(root, file), "utf8").matchAll(/^import[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]!);
const resolved = (file: string, specifier: string) => (specifier.startsWith(".") ? relative(root, join(root, file, "..", specifier)) : specifier);

describe("architecture", () => {
  const folders = ["schemas", "core", "definitions", "registry", "control-plane", "runtime", "cli"];
  const files = folders.flatMap(sources);

  // The shared layers stack: schemas ← core ← definitions, registry (side by side) ← control-plane, runtime, cli.
  it.each([
    ["schemas", ["core", "definitions", "registry", "control-plane", "runtime", "cli"]],
    ["core", ["definitions", "registry", "control-plane", "runtime", "cli"]],
    ["definitions", ["registry", "control-plane", "runtime", "cli"]],
    ["registry", ["definitions", "control-plane", "runtime", "cli"]],
    ["control-plane", ["runtime", "cli"]],
    ["runtime", ["control-plane", "cli"]],
    ["cli", ["control-plane", "runtime"]],
  ])("%s never imports %j", (folder, forbidden) => {
    const offenders = files
      .filter((file) => file.startsWith(`${folder}/`))
      .flatMap((file) => importsOf(file).map((specifier) => [file, resolved(file, specifier)] as const))
      .filter(([, target]) => forbidden.some((other) => target.startsWith(`${other}/`)));
    expect(offenders).toEqual([]);
  });

  // schemas/text.ts and schemas/preview-ref.ts are public surfaces of schemas/ without zod: pure helpers the CLI's
  // start-up and the dashboard's browser bundle import.
  const surfaces = new Set(["schemas/text.ts", "schemas/preview-ref.ts"]);

  it("imports another top-level folder only through its index.ts", () => {
    const offenders = files.flatMap((file) =>
      importsOf(file)
        .map((specifier) => resolved(file, specifier))
        .filter((target) => folders.some((other) => target.startsWith(`${other}/`) && !file.startsWith(`${other}/`)))
        .filter((target) => !target.endsWith("/index.ts") && !surfaces.has(target))
        .map((target) => `${file} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it("confines hono to app.ts, routes/ and http/, and never uses eval or new Function", () => {
    const hono = files.filter((file) => importsOf(file).includes("hono") && !/(app\.ts|\/routes\/|\/http\/)/.test(file));
    expect(hono).toEqual([]);
    const evals = [...files, "worker.ts", "bindings.ts", "config.ts"].filter((file) => /new Function\(|[^.\w]eval\(/.test(readFileSync(join(root, file), "utf8")));
    expect(evals).toEqual([]);
  });

  it("confines isomorphic-git and @octokit to the folders that speak git and GitHub", () => {
    const outside = (pattern: RegExp, allowed: RegExp) => files.filter((file) => importsOf(file).some((specifier) => pattern.test(specifier)) && !allowed.test(file));
    expect(outside(/^isomorphic-git/, /^(control-plane\/git\/|runtime\/host\/context\/git)/)).toEqual([]);
    expect(outside(/^@octokit\//, /^(control-plane\/(github|webhooks)\/|runtime\/services\/github\.ts)/)).toEqual([]);
  });

  // runtime/ by the process each part runs in: the Worker's request path and the host object meet only through
  // shared/ (and executor/, which both use); the code loaded with a definition imports nothing of either.
  it.each([
    ["runtime/worker/", ["runtime/host/", "runtime/facet/"]],
    ["runtime/host/", ["runtime/worker/"]],
    ["runtime/facet/", ["runtime/worker/", "runtime/host/", "runtime/executor/", "runtime/services/"]],
    ["runtime/shared/", ["runtime/worker/", "runtime/host/", "runtime/facet/"]],
  ])("keeps %s from importing %j", (folder, forbidden) => {
    const offenders = files
      .filter((file) => file.startsWith(folder))
      .flatMap((file) => importsOf(file).map((specifier) => `${file} → ${resolved(file, specifier)}`))
      .filter((edge) => forbidden.some((other) => edge.split(" → ")[1]!.startsWith(other)));
    expect(offenders).toEqual([]);
  });

  it("keeps every source file under 300 lines", () => {
    const long = [...files, "worker.ts", "bindings.ts", "config.ts"].filter((file) => readFileSync(join(root, file), "utf8").split("\n").length > 300);
    expect(long).toEqual([]);
  });
});
