// Blobs of large files in R2, one prefix per object and environment: what a facet asks its host for (it has no
// bindings of its own). Keys are fresh per write, so a blob backs one file.
import type { BlobStore } from "./context/host-context.ts";

/** The R2 prefix of an object's files in an environment. */
export const filesPrefix = (environment: string, id: string) => `fsx/${environment}/${id}/`;

/** The blob store of one object in one environment; reads reach any environment of the object (a fork names production's). */
export function r2Blobs(bucket: R2Bucket, id: string, environment: string): BlobStore {
  const prefix = filesPrefix(environment, id);
  const ofObject = (key: string) => key.startsWith("fsx/") && key.slice(0, key.lastIndexOf("/") + 1).endsWith(`/${id}/`);
  return {
    async put(bytes) {
      const key = `${prefix}${crypto.randomUUID()}`;
      await bucket.put(key, bytes);
      return key;
    },
    async get(key) {
      if (!ofObject(key)) return null;
      const object = await bucket.get(key);
      return object ? new Uint8Array(await object.arrayBuffer()) : null;
    },
    async delete(key) {
      if (key.startsWith(prefix)) await bucket.delete(key);
    },
  };
}

/** Deletes every blob under a prefix (an environment's state is wiped), a listing page at a time. */
export async function deleteFilesUnder(bucket: R2Bucket, prefix: string): Promise<void> {
  for (let listed = await bucket.list({ prefix }); listed.objects.length > 0; listed = await bucket.list({ prefix })) {
    await bucket.delete(listed.objects.map((object) => object.key));
    if (!listed.truncated) break;
  }
}
