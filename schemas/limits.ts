// `config.limits` of a definition: request rates and storage, each within the platform's maxima.
import { z } from "zod";

export const PLATFORM_MAX_REQUESTS_PER_MINUTE = 60_000;
export const PLATFORM_MAX_STORAGE_BYTES = 1024 ** 3;
/** What an object may store (SQLite and files) unless its config says less. */
export const DEFAULT_STORAGE_BYTES = 100 * 1024 ** 2;

export const LimitsSchema = z.strictObject({
  /** Requests per minute to the object from everyone together. */
  requestsPerMinute: z.number().int().min(1).max(PLATFORM_MAX_REQUESTS_PER_MINUTE).optional(),
  /** Requests per minute from one caller (a token's subject, else the client's IP address). */
  perCallerPerMinute: z.number().int().min(1).max(PLATFORM_MAX_REQUESTS_PER_MINUTE).optional(),
  /** Bytes the object may store in `$.db` and `$.fsx` together. */
  storageBytes: z.number().int().min(1024).max(PLATFORM_MAX_STORAGE_BYTES).optional(),
});
export type Limits = z.infer<typeof LimitsSchema>;
