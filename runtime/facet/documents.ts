// `$.db`: JSON document collections in the facet's own SQLite, with parameterised SQL only. Runs in the definition's
// isolate (part of the prelude), on the globals intrinsics.ts captured before any definition code ran.
import { entriesOf, NativeError, parse, randomUUID, StringOf, stringify } from "./intrinsics.ts";

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_DOCUMENT_BYTES = 1_048_576;
const MAX_LIST = 1000;

type Document = Record<string, unknown> & { id: string };
type Row = { id: string; data: string };

export const DOCUMENTS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS __documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, collection TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL,
    UNIQUE (collection, id));
`;

/** A user-facing error of `$.db` (bad name, bad filter, oversized document): surfaces as the method's failure. */
export class DocumentError extends NativeError {
  override name = "DocumentError";
}

function checkName(kind: string, name: unknown): string {
  if (typeof name !== "string" || !NAME.test(name)) throw new DocumentError(`${kind} must be an identifier, got ${stringify(name)}`);
  return name;
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new DocumentError(`${what} must be an object`);
  return value as Record<string, unknown>;
}

function serialize(document: Document): string {
  const text = stringify(document);
  if (text.length > MAX_DOCUMENT_BYTES) throw new DocumentError(`a document may hold at most ${MAX_DOCUMENT_BYTES} bytes of JSON`);
  return text;
}

/** The collections of one object: `create/get/list/update/delete/find` on JSON documents with generated ids. */
export function createDocuments(sql: SqlStorage) {
  // The table is made by the first write: reading an object that never wrote creates nothing (no write to commit).
  let table = sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__documents'").toArray().length > 0;
  const writable = () => {
    if (!table) sql.exec(DOCUMENTS_SCHEMA);
    table = true;
  };
  const read = (row: Row): Document => parse(row.data) as Document;

  const operations = {
    create(collection: string, data: unknown): Document {
      const fields = asObject(data ?? {}, "a new document");
      const id = fields.id === undefined ? randomUUID() : StringOf(fields.id);
      const document = { ...fields, id };
      writable();
      const existing = sql.exec("SELECT 1 FROM __documents WHERE collection = ? AND id = ?", collection, id).toArray();
      if (existing.length > 0) throw new DocumentError(`${collection} ${id} already exists`);
      sql.exec("INSERT INTO __documents (collection, id, data) VALUES (?, ?, ?)", collection, id, serialize(document));
      return document;
    },
    get(collection: string, id: unknown): Document | null {
      if (!table) return null;
      const rows = sql.exec<Row>("SELECT id, data FROM __documents WHERE collection = ? AND id = ?", collection, StringOf(id)).toArray();
      return rows[0] ? read(rows[0]) : null;
    },
    list(collection: string, options?: unknown): Document[] {
      if (!table) return [];
      const { limit = MAX_LIST, offset = 0 } = (options ?? {}) as { limit?: number; offset?: number };
      const bounded = Math.max(0, Math.min(Number(limit) || 0, MAX_LIST));
      return sql
        .exec<Row>("SELECT id, data FROM __documents WHERE collection = ? ORDER BY seq LIMIT ? OFFSET ?", collection, bounded, Math.max(0, Number(offset) || 0))
        .toArray()
        .map(read);
    },
    update(collection: string, id: unknown, patch: unknown): Document | null {
      const current = operations.get(collection, id);
      if (!current) return null;
      const document = { ...current, ...asObject(patch, "an update"), id: current.id };
      sql.exec("UPDATE __documents SET data = ? WHERE collection = ? AND id = ?", serialize(document), collection, current.id);
      return document;
    },
    delete(collection: string, id: unknown): boolean {
      if (!table) return false;
      return sql.exec("DELETE FROM __documents WHERE collection = ? AND id = ?", collection, StringOf(id)).rowsWritten > 0;
    },
    find(collection: string, filter: unknown): Document[] {
      const clauses = ["collection = ?"];
      const bindings: unknown[] = [collection];
      for (const [field, value] of entriesOf(asObject(filter ?? {}, "a filter"))) {
        const path = `$.${checkName("a filter field", field)}`;
        if (value === null) {
          clauses.push("json_extract(data, ?) IS NULL");
          bindings.push(path);
        } else if (["string", "number", "boolean"].includes(typeof value)) {
          // json_extract yields 1/0 for JSON true/false.
          clauses.push("json_extract(data, ?) = ?");
          bindings.push(path, typeof value === "boolean" ? Number(value) : value);
        } else throw new DocumentError(`filter field ${field} must be a string, number, boolean or null`);
      }
      if (!table) return [];
      return sql
        .exec<Row>(`SELECT id, data FROM __documents WHERE ${clauses.join(" AND ")} ORDER BY seq LIMIT ${MAX_LIST}`, ...bindings)
        .toArray()
        .map(read);
    },
  };

  /** Runs one `$.db.<collection>.<operation>(...args)` call. */
  return function call(collection: unknown, operation: unknown, args: unknown[]): unknown {
    const name = checkName("a collection name", collection);
    switch (operation) {
      case "create":
        return operations.create(name, args[0]);
      case "get":
        return operations.get(name, args[0]);
      case "list":
        return operations.list(name, args[0]);
      case "update":
        return operations.update(name, args[0], args[1]);
      case "delete":
        return operations.delete(name, args[0]);
      case "find":
        return operations.find(name, args[0]);
      default:
        throw new DocumentError(`$.db has no operation ${StringOf(operation)}`);
    }
  };
}

export type DocumentCall = ReturnType<typeof createDocuments>;
