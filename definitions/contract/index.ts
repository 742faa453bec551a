// Public surface of definitions/contract/: an object's contract and the diff of two versions of it.
export { contractOf, type Contract, type SurfaceKind } from "./contract.ts";
export { diffContracts, diffDefinitions, rangeBreakOf, type ContractChange, type ContractDiff, type DiffSide, type RangeBreak } from "./diff.ts";
export { diffHeadline, diffLines, diffMarkdown, rangeBreakText } from "./diff-text.ts";
export { describeMethod, describeMethods, signatureText, sourceParams, sourceParameters, type MethodDescription, type Parameter, type ParamType } from "./describe-method.ts";
export { callerBreaks } from "./breaking.ts";
