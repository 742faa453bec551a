// The `$` host of one call (context/host-context.ts), scoped to its object and environment: the facet's state for a
// call of another version, blobs in R2, messages, services, and `$.gitx` and `$.bashx` over the facet's files.
import { createBashx } from "./context/bash.ts";
import { createGitx } from "./context/git.ts";
import { HostContext } from "./context/host-context.ts";
import { facetFiles, facetGitRows } from "./context/object-files.ts";
import { r2Blobs } from "./blobs.ts";
import type { PreparedVersion } from "../executor/loader.ts";
import type { FacetEntrypoint } from "../shared/sandbox-protocol.ts";
import type { Identity } from "../shared/object-calls.ts";
import type { ObjectDeps } from "./object-deps.ts";
import type { EnvironmentStores } from "./object-stores.ts";

export function callHost(deps: ObjectDeps, identity: Identity, version: PreparedVersion, facet: FacetEntrypoint, stores: () => EnvironmentStores, removed: () => boolean): HostContext {
  const author = { name: identity.id, email: `${identity.environment}@${identity.id}` };
  return new HostContext({
    removed,
    state: facet,
    blobs: r2Blobs(deps.files, identity.id, identity.environment),
    git: { run: (operation, args, blobs) => createGitx(facetGitRows(() => facet), facetFiles(() => facet, blobs), author).run(operation, args) },
    bash: { exec: (command, blobs) => createBashx(facetFiles(() => facet, blobs)).exec(command) },
    messages: () => stores().messages(version),
    services: deps.services(identity.environment),
    quotas: deps.quotas,
  });
}
