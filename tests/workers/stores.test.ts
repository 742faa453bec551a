import { env } from "cloudflare:workers";
import { blobStoreContract } from "../contract/blob-store.contract.ts";
import { refStoreContract } from "../contract/ref-store.contract.ts";
import { doRefStore, r2BlobStore } from "../../registry/store/index.ts";

blobStoreContract("R2 (workerd)", () => r2BlobStore(env.SNAPSHOTS));
refStoreContract("RefsDO (workerd SQLite)", () => doRefStore(env.REFS));
