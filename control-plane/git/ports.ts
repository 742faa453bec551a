// The storage ports of the git remote: immutable packs (R2, listed in SQLite) and the repository's refs (SQLite).

/** Packfiles with their indexes, immutable once written. */
export interface PackStore {
  /** Names (`pack-<sha>`) of every stored pack. */
  names(): Promise<string[]>;
  /** One file of a pack: `<name>.pack` or `<name>.idx`; throws when absent. */
  read(file: string): Promise<Uint8Array>;
  /** Stores a pack and its index (idempotent: the name is the pack's own checksum). */
  write(name: string, pack: Uint8Array, index: Uint8Array): Promise<void>;
  /** Every stored pack with its size in bytes. */
  sizes(): Promise<Array<{ name: string; bytes: number }>>;
  /**
   * Stores a pack made of `retired` packs' objects and lists it in their place, in one step; the retired packs' bytes
   * stay readable a while for requests that listed them before.
   */
  replace(name: string, pack: Uint8Array, index: Uint8Array, retired: readonly string[]): Promise<void>;
}

/** The repository's refs: `refs/heads/*`, `refs/tags/*` → commit or tag object id. */
export interface RepoRefs {
  list(): Promise<Array<[string, string]>>;
  /** The default branch HEAD points at (`refs/heads/main` unless configured). */
  head(): Promise<string>;
  /** Applies one update if the ref still holds `old` (null: absent); `next` null deletes. False when it moved. */
  compareAndSet(ref: string, old: string | null, next: string | null): Promise<boolean>;
}
