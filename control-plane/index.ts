// Public surface of control-plane/: everything that changes the registry.
export { createControlPlane, type ControlPlaneDeps } from "./app.ts";
export { createObjectService, type ObjectService, type ObjectServiceDeps } from "./object-service.ts";
export { createSupervisorIntake, quarantinesOf, type SupervisorIntake } from "./supervisor-intake.ts";
export { createAuthenticator, type AuthConfig, type Principal } from "./http/auth.ts";
export { scopeCovers, scopesOf } from "./http/scope.ts";
export { classifyControl } from "./classify.ts";
export { RepoDOBase, type RepoDeps } from "./git/repo-object.ts";
export type { PipelineDeps, PublishedMove } from "./pipeline/publish-commit.ts";
export { SourceDOBase, type SourceObjectDeps, type StoredConnection } from "./sources/source-object.ts";
export { ConnectionsDO } from "./sources/connections-object.ts";
export { HostnamesDO } from "./hostnames/hostnames-object.ts";
export { consumeJobs, reconcileAll, type JobMessage } from "./sources/consume-jobs.ts";
export { PreviewsDO, type PreviewRow } from "./previews/previews-object.ts";
export { createPreviewService, type PreviewService } from "./previews/preview-service.ts";
export { RolloutDOBase } from "./rollouts/rollout-object.ts";
export { createRolloutService, type RolloutDeps, type RolloutService } from "./rollouts/rollout-service.ts";
