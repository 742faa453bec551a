// Public surface of registry/: immutable snapshots by content hash, moving refs and their grammar, publications,
// consent between objects, and the ports (with their Durable Object and R2 adapters in store/).
export * from "./content-hash.ts";
export * from "./ref.ts";
export * from "./resolve.ts";
export * from "./ports.ts";
export * from "./plan-publish.ts";
export * from "./registry.ts";
export * from "./consent.ts";
export * from "./rollout-plan.ts";
export * from "./rollout-judge.ts";
export * from "./environments.ts";
