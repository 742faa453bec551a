// `config.preview` of a definition: what a preview of the object starts with, how long it lives, who may open it.
import { z } from "zod";
import { PLATFORM_MAX_STORAGE_BYTES } from "./limits.ts";
import { sizeText } from "./text.ts";

/** What a forked preview copies at most unless its config says less: a fork is a copy, so it is bounded. */
export const DEFAULT_FORK_BYTES = 25 * 1024 ** 2;
/** How long a preview lives without a push, unless its config says otherwise. */
export const DEFAULT_PREVIEW_TTL = "7d";
const DURATION = /^([1-9]\d{0,4})(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_TTL_MS = 90 * UNIT_MS.d;

/** `30m`, `12h`, `7d` in milliseconds, or null when the text is no such duration. */
export function durationMs(text: string): number | null {
  const match = DURATION.exec(text);
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : null;
}

export const PreviewConfigSchema = z.strictObject({
  /** `empty` (the default): a preview starts with no state; `fork`: with a copy of production's, taken at creation. */
  state: z.enum(["empty", "fork"]).optional(),
  /** A fork copies the event log too (`$.db` and files always). */
  events: z.boolean().optional(),
  /** The most production state a fork copies; a larger one refuses the preview. */
  maxBytes: z.number().int().min(1024).max(PLATFORM_MAX_STORAGE_BYTES).optional(),
  /** How long a preview lives after its last push: `30m`, `12h`, `7d` (at most 90 days). */
  ttl: z
    .string()
    .refine((text) => {
      const ms = durationMs(text);
      return ms !== null && ms <= MAX_TTL_MS;
    }, "a ttl is minutes, hours or days, e.g. 30m, 12h, 7d (at most 90d)")
    .optional(),
  /**
   * Previews answer only a token that covers the object, or a share link. A forked preview is protected unless this
   * says false: it holds a copy of production's data, served by code that has not reached production.
   */
  protect: z.boolean().optional(),
});
export type PreviewConfig = z.infer<typeof PreviewConfigSchema>;

/** The preview config of a definition (validated at publish: a broken one never got this far). */
export function previewConfigOf(definition: { config?: Record<string, unknown> | undefined }): PreviewConfig {
  const parsed = PreviewConfigSchema.safeParse(definition.config?.preview ?? {});
  return parsed.success ? parsed.data : {};
}


/** Why production's state is too large to fork, or null (checked before publishing, and again by the fork). */
export const forkTooLarge = (id: string, bytes: number, maxBytes: number) =>
  bytes > maxBytes ? `${id}: production's state is ${sizeText(bytes)}, over the ${sizeText(maxBytes)} a preview may fork (config.preview.maxBytes)` : null;

/** The most a fork of this config copies. */
export const forkBound = (config: PreviewConfig) => config.maxBytes ?? DEFAULT_FORK_BYTES;

/** Whether a preview of this config answers only covering tokens and share links. */
export const isProtected = (config: PreviewConfig) => config.protect ?? config.state === "fork";

/** What a preview of this config asks its ObjectDO to fork, for the version `hash`. */
export const forkRequestOf = (config: PreviewConfig, hash: string): ForkRequest => ({ hash, events: config.events === true, maxBytes: forkBound(config) });

/** A preview's time to live in milliseconds. */
export const previewTtlMs = (config: PreviewConfig) => durationMs(config.ttl ?? DEFAULT_PREVIEW_TTL)!;

/** What the pipeline asks a preview's ObjectDO to fork: the version it serves and its config's bounds. */
export interface ForkRequest {
  hash: string;
  events: boolean;
  maxBytes: number;
}

export type ForkOutcome = { ok: true; bytes: number; ms: number; redacted: boolean } | { ok: false; reason: string };

/** One object of one preview, as the platform keeps it for listing and expiry. */
export interface PreviewRecord {
  /** The preview's ref and environment: `pr-7`, `preview-login`. */
  ref: string;
  id: string;
  /** The repository that pushed it, and how (`git`: to objects.do, `github`: a pull request). */
  repo: string;
  source: "git" | "github";
  /** The git ref of a pushed preview (`refs/for/main/login`). */
  gitRef?: string;
  sha: string;
  pushedAt: number;
  ttlMs: number;
  state: "empty" | "fork";
}

/** A preview as `GET /_/previews` lists it. */
export interface PreviewEntry extends PreviewRecord {
  createdAt: number;
  expiresAt: number;
  forked?: { at: number; bytes: number };
  /** Bytes its state holds now (SQLite and files). */
  stateBytes?: number;
  url: string;
}

/** A share link carries its token in this query parameter; the runtime keeps it in a cookie of the same name. */
export const SHARE_PARAM = "objects-share";
/** The audience of share tokens: no other token of the platform verifies as one. */
export const SHARE_AUDIENCE = "objects.do/preview-share";
/** A share link lives this long unless asked otherwise, and never longer than MAX_SHARE. */
export const DEFAULT_SHARE_TTL = "1d";
export const MAX_SHARE_TTL_MS = 30 * 86_400_000;
