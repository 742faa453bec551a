// The URL space's table is the only map of what answers under an object: both planes mount exactly its surfaces.
import { describe, expect, it } from "vitest";
import { SURFACE_SEGMENTS, SURFACES, type Plane } from "../../core/index.ts";
import { createControlPlane, type ControlPlaneDeps } from "../../control-plane/index.ts";
import { createRuntimeApp, type RuntimeDeps } from "../../runtime/index.ts";

// Mounting reads no dependency: the apps are built only to list their routes.
const control = createControlPlane({ hostnames: {} } as unknown as ControlPlaneDeps);
const runtime = createRuntimeApp({ hosts: {}, appAuth: {} } as unknown as RuntimeDeps);

const mounted = (routes: Array<{ method: string; path: string }>) =>
  routes.filter((route) => route.method !== "ALL").map((route) => `${route.method} ${route.path}`).sort();
const tabled = (plane: Plane) =>
  Object.values(SURFACES).filter((surface) => surface.plane === plane).flatMap((surface) => surface.methods.map((method) => `${method} ${surface.path}`)).sort();

describe("the URL space", () => {
  it("is what the control plane mounts under an object, and only that", () => {
    expect(mounted(control.routes.surfaces)).toEqual(tabled("control"));
  });

  it("is what the runtime mounts, the call surface aside (answered before the router)", () => {
    expect(mounted(runtime.routes)).toEqual(tabled("runtime").filter((route) => route !== `POST ${SURFACES.rpc.path}`));
  });

  it("keeps management endpoints under /_/", () => {
    expect(mounted(control.routes.management).filter((route) => !route.split(" ")[1]!.startsWith("/_/"))).toEqual([]);
  });

  it("ends an object id at every named surface", () => {
    expect([...SURFACE_SEGMENTS].sort()).toEqual(["agent", "api", "app", "mcp", "promote", "release", "rollback", "rollout", "rpc", "versions"]);
  });
});
