// Public surface of definitions/: what a definition is and says: the compiler (files and JSON bodies to a checked
// definition), its methods, pages, schedules, and the contract it offers with diffs between two of them.
export { compileDefinition, declaredVersion, type CompileResult } from "./compile/compile-definition.ts";
export { compileFiles, MAX_OBJECTS_PER_COMMIT, MAX_DEFINITION_FILE_BYTES, type RepoEntry, type CompiledObject, type FilesResult } from "./compile/compile-files.ts";
export { definitionPaths, objectFolders, roleOf } from "./compile/layout.ts";
export { checkFunctionSource, RESERVED_PREFIX } from "./compile/check-source.ts";
export { loadRegexChecker } from "./compile/regex-check.ts";
export { isMethodSpec, MAX_NAMESPACE_DEPTH } from "./compile/function-sources.ts";
export { decodeUtf8, parseDefinitionBody } from "./compile/text-checks.ts";
export * from "./methods.ts";
export * from "./schedule.ts";
export { parsePage, type ParsedPage, type PageExpression } from "./pages/parse-page.ts";
export { expressionThunk, pagesOf } from "./pages/page-issues.ts";
export * from "./contract/index.ts";
