// Workers adapters of the registry's ports (they need workerd; pure code imports ../index.ts instead).
export { RefsDO } from "./legacy-refs.ts";
export { RefShardDO } from "./ref-shard.ts";
export { doRefStore, REF_SHARDS, shardOf } from "./do-ref-store.ts";
export { r2BlobStore } from "./r2-blob-store.ts";
export { ObjectIndexDO, doObjectIndex } from "./object-index.ts";
