// What can be done to previews besides pushing them: list them with their age and size, remove one, reset one to
// production's state, expire those left without a push past their time to live. Every removal goes the same way
// (the ref, the state, the platform's row, and the repository that pushed it forgets the object).
import { ObjectsError } from "../../core/index.ts";
import { parseRef, previewRefOf } from "../../registry/index.ts";
import { forkRequestOf, previewConfigOf, type NormalizedDefinition, type PreviewEntry } from "../../schemas/index.ts";
import type { PipelineDeps } from "../pipeline/publish-commit.ts";
import { forkNote } from "../pipeline/preview-state.ts";
import type { PreviewRow } from "./previews-object.ts";

export interface PreviewLedger {
  list(): Promise<PreviewRow[]>;
  get(ref: string, id: string): Promise<PreviewRow | null>;
  expired(now: number): Promise<PreviewRow[]>;
}

export interface PreviewServiceDeps {
  ledger: PreviewLedger;
  pipeline: Required<Pick<PipelineDeps, "previews">> & PipelineDeps;
  /** Bytes the object's state holds in the preview's environment. */
  stateBytes(environment: string, id: string): Promise<number>;
  /** Tells the repository that pushed the preview that this object left it (the git remote drops an empty topic). */
  forget(row: PreviewRow): Promise<void>;
}

/** `<id>@<ref>` where the ref is a preview's, or a 400 naming what a preview address looks like. */
export function previewAddress(text: string): { id: string; ref: string } {
  const at = text.lastIndexOf("@");
  const ref = at > 0 ? text.slice(at + 1) : "";
  if (at <= 0 || previewRefOf(ref) === null) throw new ObjectsError("preview-address-invalid", `"${text.slice(0, 120)}" is not a preview: use <id>@pr-<n> or <id>@preview-<topic>`);
  return { id: text.slice(0, at), ref };
}

const entryOf = (row: PreviewRow, origin: string, stateBytes?: number): PreviewEntry => ({
  ref: row.ref,
  id: row.id,
  repo: row.repo,
  source: row.source,
  ...(row.gitRef ? { gitRef: row.gitRef } : {}),
  sha: row.sha,
  pushedAt: row.pushedAt,
  ttlMs: row.ttlMs,
  state: row.state,
  createdAt: row.createdAt,
  expiresAt: row.pushedAt + row.ttlMs,
  ...(row.forkedAt !== undefined ? { forked: { at: row.forkedAt, bytes: row.forkedBytes ?? 0 } } : {}),
  ...(stateBytes !== undefined ? { stateBytes } : {}),
  url: `${origin}/${row.id}@${row.ref}`,
});

export function createPreviewService(deps: PreviewServiceDeps) {
  const { ledger, pipeline } = deps;
  const found = async (ref: string, id: string) => {
    const row = await ledger.get(ref, id);
    if (!row) throw new ObjectsError("preview-not-found", `${id}@${ref} is not a preview`);
    return row;
  };

  async function remove(row: PreviewRow): Promise<void> {
    await pipeline.registry.removeRef(row.id, row.ref);
    await pipeline.refsChanged(row.id, "deleted", row.ref);
    await pipeline.previews.drop(row.ref, [row.id]);
    await deps.forget(row);
  }

  return {
    /** Previews whose object `covers` allows, newest push first, each with the bytes its state holds now. */
    async list(covers: (id: string) => boolean, origin: string): Promise<PreviewEntry[]> {
      const rows = (await ledger.list()).filter((row) => covers(row.id));
      return Promise.all(rows.map(async (row) => entryOf(row, origin, await deps.stateBytes(row.ref, row.id).catch(() => undefined))));
    },

    /** Answers 404 unless `id@ref` is a preview (without waking its object, as `get` does for its size). */
    async require(ref: string, id: string): Promise<void> {
      await found(ref, id);
    },

    async get(ref: string, id: string, origin: string): Promise<PreviewEntry> {
      const row = await found(ref, id);
      return entryOf(row, origin, await deps.stateBytes(ref, id));
    },

    /** Deletes one object's preview: its ref and its state. */
    async remove(ref: string, id: string): Promise<void> {
      await remove(await found(ref, id));
    },

    /** Starts the preview's state over: a new fork of production's (config.preview.state "fork"), else empty. */
    async reset(ref: string, id: string): Promise<{ state: "empty" | "fork"; note?: string }> {
      await found(ref, id);
      const hash = await pipeline.registry.resolve(id, parseRef(ref));
      const definition = (await pipeline.registry.snapshot(hash)).definition as NormalizedDefinition;
      const config = previewConfigOf(definition);
      if (config.state !== "fork") {
        await pipeline.refsChanged(id, "deleted", ref);
        return { state: "empty" };
      }
      const outcome = await pipeline.previews.fork(id, ref, forkRequestOf(config, hash));
      if (!outcome.ok) throw new ObjectsError("preview-fork-refused", outcome.reason);
      return { state: "fork", note: forkNote(outcome) };
    },

    /** Removes every preview object that went without a push past its time to live at `now`. */
    async expire(now: number): Promise<Array<{ id: string; ref: string }>> {
      const due = await ledger.expired(now);
      for (const row of due) await remove(row);
      return due.map(({ id, ref }) => ({ id, ref }));
    },
  };
}

export type PreviewService = ReturnType<typeof createPreviewService>;
