// Public surface of registry/: immutable snapshots, moving refs, the ref grammar and the definition compiler.
export * from "./errors.ts";
export * from "./content-hash.ts";
export * from "./ref.ts";
export * from "./resolve.ts";
export * from "./ports.ts";
export * from "./plan-publish.ts";
export * from "./registry.ts";
export * from "./object-path.ts";
export { compileDefinition, declaredVersion, type CompileResult } from "./compile/compile-definition.ts";
export { compileFiles, MAX_OBJECTS_PER_COMMIT, MAX_DEFINITION_FILE_BYTES, type RepoEntry, type CompiledObject, type FilesResult } from "./compile/compile-files.ts";
export { definitionPaths, objectFolders, roleOf } from "./compile/layout.ts";
export { checkFunctionSource, RESERVED_PREFIX } from "./compile/check-source.ts";
export { isMethodSpec, MAX_NAMESPACE_DEPTH } from "./compile/function-sources.ts";
export { parseJsonText, jsonDepth, pointerOf, MAX_JSON_DEPTH } from "./compile/json-text.ts";
export * from "./methods.ts";
export * from "./limited-text.ts";
export { issuesFromZod } from "./compile/zod-issues.ts";
export * from "./schedule.ts";
