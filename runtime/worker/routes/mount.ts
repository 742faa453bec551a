// How the runtime's surfaces get handlers: by name from the URL space's table (core/url-space.ts).
import type { Context } from "hono";
import type { SurfaceOf } from "../../../core/index.ts";
import type { RuntimeEnv } from "../dispatch.ts";

export type RuntimeHandler = (c: Context<RuntimeEnv>) => Promise<Response>;
export type MountRuntime = (name: SurfaceOf<"runtime">, handler: RuntimeHandler) => void;
