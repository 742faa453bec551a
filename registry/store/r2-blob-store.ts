// BlobStore adapter over an R2 bucket: put-if-absent through a conditional write.
import { ObjectsError } from "../../core/index.ts";
import type { BlobStore } from "../ports.ts";

const unavailable = () =>
  new ObjectsError("blobs-unavailable", "the snapshot store did not answer", { headers: { "retry-after": "1" } });

/** A BlobStore in an R2 bucket; `putIfAbsent` uses `onlyIf: { etagDoesNotMatch: "*" }`, so it never overwrites. */
export function r2BlobStore(bucket: R2Bucket): BlobStore {
  return {
    async putIfAbsent(key, body) {
      let written: R2Object | null;
      try {
        written = await bucket.put(key, body, { onlyIf: { etagDoesNotMatch: "*" }, httpMetadata: { contentType: "application/json" } });
      } catch {
        throw unavailable();
      }
      return written !== null;
    },
    async list(prefix, { cursor, limit }) {
      try {
        const listed = await bucket.list({ prefix, limit, ...(cursor ? { cursor } : {}) });
        return { keys: listed.objects.map((object) => object.key), cursor: listed.truncated ? listed.cursor : null };
      } catch {
        throw unavailable();
      }
    },
    async get(key) {
      try {
        const object = await bucket.get(key);
        return object === null ? null : await object.text();
      } catch {
        throw unavailable();
      }
    },
  };
}
