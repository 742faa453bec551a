// Public surface of schemas/: zod shapes that cross a boundary.
export * from "./definition.ts";
export * from "./object-id.ts";
export * from "./id-pattern.ts";
export * from "./text.ts";
export * from "./snapshot.ts";
export * from "./problem.ts";
export * from "./api.ts";
export * from "./answers.ts";
export * from "./json-schema.ts";
export * from "./github.ts";
export * from "./job.ts";
export * from "./app-auth.ts";
export * from "./limits.ts";
export * from "./preview.ts";
export * from "./preview-ref.ts";
export * from "./rollout.ts";
export * from "./latency.ts";
