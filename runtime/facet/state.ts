// The object's own state inside its facet: `$.db`, `$.fsx` and the `.git/` rows in the facet's SQLite, the storage
// quota and per-call `$.fsx` quota enforced here, and `$.db.transaction`. Local operations never await I/O, so a call's
// reads and writes between its awaits never interleave with another call's (the Durable Object input gate), as in a
// hand-written Durable Object. Part of the prelude: runs in the definition's isolate.
import { createDocuments, DocumentError, DOCUMENTS_SCHEMA, type DocumentCall } from "./documents.ts";
import { blobBytesOf, createFiles, FILES_SCHEMA, FileError, type BlobCount, type BlobPort } from "./files.ts";
import { createGitRows, GIT_SCHEMA, type GitRows } from "./git-rows.ts";
import { isArray, NativeError, NativePromise, randomUUID, StringOf, stringify } from "./intrinsics.ts";
import { FILE_OPERATIONS, STATE_TABLES, type FacetHost, type Refusal, type SandboxEnv, type SandboxHost, type StateResult, type StateTable } from "../shared/sandbox-protocol.ts";

/** A write the object's storage quota has no room for: the call answers 507 `storage-quota`. */
export class StorageFullError extends NativeError {
  override name = "StorageFullError";
}

/** A call used `$.fsx` more often than its quota allows: the call answers 429 `quota-fsx`. */
export class QuotaError extends NativeError {
  override name = "QuotaError";
}

/** A fault of the storage engine: the definition sees this, never the engine's text. */
export class StorageError extends NativeError {
  override name = "StorageError";
}

const USER_FACING = [DocumentError, FileError, StorageFullError, QuotaError];
const SCHEMAS: Record<StateTable, string> = { __documents: DOCUMENTS_SCHEMA, __files: FILES_SCHEMA, __git: GIT_SCHEMA };
const COLUMN = /^[a-z_]{1,32}$/;
const FILES = new Set<string>(FILE_OPERATIONS);
const DB_WRITES = new Set(["create", "update"]);

const sizeOf = (value: unknown): number => {
  if (typeof value === "string") return value.length;
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return value.byteLength;
  return stringify(value ?? null)?.length ?? 0;
};

/** What the host may ask besides `$.fsx`'s own operations: the bytes and the listing `$.gitx` and `$.bashx` need. */
const HOST_FILE_OPERATIONS = new Set(["readBytes", "entries"]);

/** Runs `operation` as a promise: a refusal rejects it instead of throwing where `$` was called. */
const promised = <T>(operation: () => T | Promise<T>): Promise<T> => new NativePromise<T>((resolve) => resolve(operation()));

/** An engine fault as an error without the engine's text. */
function fault(error: unknown): Error {
  if (USER_FACING.some((kind) => error instanceof kind)) return error as Error;
  return new StorageError(`an internal storage error (${randomUUID().slice(0, 8)})`);
}

/** One call's use of the state: its `$.fsx` count, whether it is inside `$.db.transaction`, what was refused it. */
interface CallState {
  fsx: number;
  transacting: boolean;
  refused?: Refusal;
}

/** A call's capabilities, and the refusal its reply must carry (the host answers 507 or 429 for it). */
export type CallCapabilities = SandboxHost & { transaction(fn: unknown): Promise<unknown>; refusal(): Refusal | undefined };

const noHost = (what: string) => promised(() => {
  throw new NativeError(`${what} needs the object's host, which this call was started without`);
});

export function createFacetState(storage: DurableObjectStorage, env: SandboxEnv) {
  const { sql } = storage;
  // Each table is made on its first use: a first call that only reads documents creates nothing else.
  let documents: DocumentCall | undefined;
  let git: GitRows | undefined;
  let files: boolean | undefined;
  const filesExist = () => (files ??= sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__files'").toArray().length > 0);
  const filesTable = () => {
    if (!filesExist()) sql.exec(FILES_SCHEMA);
    files = true;
  };
  const count: BlobCount = {};
  const forget = () => {
    documents = undefined;
    git = undefined;
    files = undefined;
    delete count.bytes;
  };
  const blobBytes = () => (filesExist() ? (count.bytes ??= blobBytesOf(sql)) : 0);
  const full = (bytes: number) => sql.databaseSize + blobBytes() + bytes > env.state.storageBytes;

  /** Refuses a write with no room left; a call's reply carries the refusal (the host answers it 507). */
  function room(bytes: number, call: CallState | undefined): void {
    if (!full(bytes)) return;
    if (call) call.refused ??= "storage";
    throw new StorageFullError("the object's storage is full");
  }

  async function db(collection: unknown, operation: unknown, args: unknown[], call?: CallState): Promise<unknown> {
    try {
      if (typeof operation === "string" && DB_WRITES.has(operation)) room(sizeOf(args), call);
      return (documents ??= createDocuments(sql))(collection, operation, args);
    } catch (error) {
      throw fault(error);
    }
  }

  async function fsx(operation: unknown, args: unknown[], blobs: BlobPort, call?: CallState): Promise<unknown> {
    const name = StringOf(operation);
    if (call && ++call.fsx > env.state.fsxPerCall) {
      call.refused ??= "fsx";
      throw new QuotaError(`$.fsx may be used ${env.state.fsxPerCall} times per call`);
    }
    if (!FILES.has(name) && (call || !HOST_FILE_OPERATIONS.has(name))) throw new FileError(`$.fsx has no ${name}`);
    try {
      if (name === "write") room(sizeOf(args[1]), call);
      filesTable();
      const store = createFiles(sql, blobs, count) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      return await store[name]!(...args);
    } catch (error) {
      throw fault(error);
    }
  }

  /** A storage operation for the host, its error as a value (the host hands it on to the code that asked). */
  async function result(operation: () => Promise<unknown> | unknown): Promise<StateResult> {
    try {
      return { ok: true, value: await operation() };
    } catch (error) {
      const { name, message } = error as Error;
      const refused = error instanceof StorageFullError ? "storage" : error instanceof QuotaError ? "fsx" : undefined;
      return { ok: false, name: StringOf(name), message: StringOf(message), ...(refused ? { refused } : {}) };
    }
  }

  return {
    /**
     * The `$` capabilities of one call: the state here, everything outside through the host (none crosses with a call
     * whose sources name only `$.db` and `$.emit`). Inside `$.db.transaction` the call may not wait on the world: the
     * transaction holds the object meanwhile.
     */
    capabilities(host: FacetHost | undefined): CallCapabilities {
      const call: CallState = { fsx: 0, transacting: false };
      const refuse = (what: string) => new DocumentError(`${what} cannot run inside $.db.transaction: a transaction holds the object and must not wait on the world`);
      const outside = <T>(what: string, run: (host: FacetHost) => Promise<T>): Promise<T> =>
        call.transacting ? promised(() => { throw refuse(what); }) : host ? run(host) : (noHost(what) as Promise<T>);
      const large = "a file over 1 MB (kept in R2)";
      const inTransaction: BlobPort = { putBlob: () => promised(() => { throw refuse(large); }), getBlob: () => promised(() => { throw refuse(large); }), deleteBlob: () => promised(() => { throw refuse(large); }) };
      const blobs: BlobPort = host ?? { putBlob: () => noHost(large) as Promise<string>, getBlob: () => noHost(large) as Promise<null>, deleteBlob: () => noHost(large) as Promise<void> };
      return {
        refusal: () => call.refused,
        db: (collection, operation, args) => promised(() => db(collection, operation, isArray(args) ? args : [], call)),
        // Inside a transaction a file kept in R2 would wait on the world: its blob operations are refused.
        fsx: (operation, args) => promised(() => fsx(operation, isArray(args) ? args : [], call.transacting ? inTransaction : blobs, call)),
        message: (channel, text) => outside(`$.${StringOf(channel)}`, (host) => host.message(channel, text)),
        service: (name, path, args) => outside(`$.${StringOf(name)}`, (host) => host.service(name, path, args)),
        gitx: (operation, args) => outside("$.gitx", (host) => host.gitx(operation, args)),
        bashx: (command) => outside("$.bashx", (host) => host.bashx(command)),
        transaction: (fn) =>
          promised(async () => {
            if (typeof fn !== "function") throw new DocumentError("$.db.transaction takes a function");
            if (call.transacting) throw new DocumentError("$.db.transaction cannot be nested");
            call.transacting = true;
            try {
              return await storage.transaction(() => (fn as () => unknown)() as Promise<unknown>);
            } catch (error) {
              // Rolled back: what this state remembered of its tables (made, counted) may be undone with it.
              forget();
              throw error;
            } finally {
              call.transacting = false;
            }
          }),
      };
    },

    /** `$.db` for the host (a call of another version of this object, reaching its state one operation at a time). */
    db: (collection: string, operation: string, args: unknown[]) => result(() => db(collection, operation, isArray(args) ? args : [])),
    fsx: (operation: string, args: unknown[], blobs: BlobPort) => result(() => fsx(operation, isArray(args) ? args : [], blobs)),
    git: (operation: string, args: unknown[]) =>
      result(() => {
        git ??= createGitRows(sql);
        const [path, data] = isArray(args) ? args : [];
        if (operation === "read") return git.read(StringOf(path));
        if (operation === "write") return git.write(StringOf(path), data as Uint8Array);
        if (operation === "delete") return git.delete(StringOf(path));
        if (operation === "paths") return git.paths();
        throw new FileError(`no git operation ${StringOf(operation)}`);
      }),

    /** Rows of an earlier layout, copied in by the host (columns checked against a plain name grammar). */
    importRows(table: StateTable, columns: string[], rows: unknown[][]): void {
      if (!STATE_TABLES.includes(table) || !columns.every((column) => COLUMN.test(column))) throw new NativeError("not a table of the object's state");
      sql.exec(SCHEMAS[table]);
      const statement = `INSERT OR REPLACE INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`;
      for (const row of rows) sql.exec(statement, ...row);
      delete count.bytes;
      files = undefined;
    },

    storedBytes: (): number => sql.databaseSize + blobBytes(),

    shareBlobs(): void {
      filesTable();
      sql.exec("UPDATE __files SET shared = 1 WHERE blob_key IS NOT NULL");
    },

  };
}

export type FacetState = ReturnType<typeof createFacetState>;
