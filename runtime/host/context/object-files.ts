// The object's files and `.git/` rows as the host's `$.gitx` and `$.bashx` reach them: over RPC, in the facet that
// holds the object's state (their libraries are too large to load with every definition).
import type { FacetEntrypoint, FacetHost, StateResult } from "../../shared/sandbox-protocol.ts";

/** The files `$.gitx` and `$.bashx` work on. */
export interface ObjectFiles {
  readBytes(path: string): Promise<Uint8Array>;
  write(path: string, bytes: Uint8Array): Promise<void>;
  /** True when the file existed. */
  delete(path: string): Promise<boolean>;
  entries(): Promise<Array<{ path: string; size: number; mtime: number }>>;
}

/** The `.git/` directory's rows. */
export interface GitRows {
  read(path: string): Promise<{ data: Uint8Array; mtime: number } | null>;
  write(path: string, data: Uint8Array): Promise<void>;
  delete(path: string): Promise<void>;
  paths(): Promise<string[]>;
}

/** A storage error from the facet, as the definition sees it (name and message, nothing of the engine). */
export class StateError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** The value of a facet's storage result, or its error thrown here. */
export function valueOf<T>(result: StateResult): T {
  if (!result.ok) throw new StateError(result.name, result.message);
  return result.value as T;
}

export function facetFiles(facet: () => FacetEntrypoint, blobs: FacetHost): ObjectFiles {
  const fsx = async <T>(operation: string, args: unknown[]) => valueOf<T>(await facet().fsx(operation, args, blobs));
  return {
    readBytes: (path) => fsx("readBytes", [path]),
    write: (path, bytes) => fsx("write", [path, bytes]),
    delete: (path) => fsx("delete", [path]),
    entries: () => fsx("entries", []),
  };
}

export function facetGitRows(facet: () => FacetEntrypoint): GitRows {
  const git = async <T>(operation: string, args: unknown[]) => valueOf<T>(await facet().git(operation, args));
  return {
    read: (path) => git("read", [path]),
    write: (path, data) => git("write", [path, data]),
    delete: (path) => git("delete", [path]),
    paths: () => git("paths", []),
  };
}
