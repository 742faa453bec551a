import { blobStoreContract } from "./blob-store.contract.ts";
import { refStoreContract } from "./ref-store.contract.ts";
import { memoryBlobStore, memoryRefStore } from "../support/memory-stores.ts";

blobStoreContract("in-memory fake", memoryBlobStore);
refStoreContract("in-memory fake", memoryRefStore);
