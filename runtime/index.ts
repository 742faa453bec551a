// Public surface of runtime/: everything that serves definitions.
export { createRuntimeApp, type RuntimeDeps } from "./app.ts";
export { ObjectDOBase, type ObjectDeps, type ObjectCall } from "./object-do.ts";
export { type Target } from "./dispatch.ts";
export { createVersionCache, type VersionCache } from "./version-cache.ts";
export { trialLoad, prepareVersion, sandboxOf, sandboxOptions, loaderId, RUNTIME_VERSION } from "./executor/loader.ts";
export { buildWorkerModules } from "./executor/module.ts";
export { instrumentSource } from "./executor/instrument.ts";
export { limitsFrom, DEFAULT_LIMITS, type RuntimeLimits } from "./limits.ts";
export { routeRequest, splitUrl, parseHostTable, type HostTable } from "./route.ts";
export { matchesEvent, matchingHandlers } from "./events.ts";
export { schemaView } from "./schema-view.ts";
export { createPlatformServices, DEFAULT_QUOTAS, type PlatformServiceConfig } from "./services/platform.ts";
export { RPC, rpcTarget, callPath } from "./services/rpc.ts";
export { HubBase, type HubDeps } from "./hub.ts";
export { toolsOf, toolOf, paramsOf, type Tool } from "./object-tools.ts";
export { type AppAuthDeps } from "./routes/app-auth.ts";
export { createHostTable, isPlatformHost, type HostTableCache } from "./host-table.ts";
export { LimiterDO } from "./limiter-do.ts";
