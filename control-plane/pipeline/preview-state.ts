// What a preview starts with and how the platform remembers it: a fork of production's state is checked against its
// bound before anything is published and taken once the object is live at the preview; every preview object is
// recorded (for listing and expiry) and forgotten when it is retired.
import { forkBound, forkRequestOf, forkTooLarge, sizeText, previewConfigOf, previewTtlMs, type ForkOutcome, type ForkRequest, type NormalizedDefinition, type PreviewRecord, type RefState } from "../../schemas/index.ts";
import { refLabel, type GitTarget } from "./targets.ts";

/** The runtime and the platform's preview list, as the pipeline sees them. */
export interface PreviewPort {
  /** Bytes production's state of an object holds (what a fork copies). */
  productionBytes(id: string): Promise<number>;
  /** Replaces the preview's state with a copy of production's, scrubbed by `preview.redact`. */
  fork(id: string, environment: string, request: ForkRequest): Promise<ForkOutcome>;
  record(entry: PreviewRecord): Promise<void>;
  drop(ref: string, ids: string[]): Promise<void>;
}

type PreviewTarget = Extract<GitTarget, { kind: "preview" | "topic" }>;

/** Whether publishing this definition creates its preview with a fork: asked for, and the object is new there. */
export const createsFork = (definition: NormalizedDefinition, state: RefState, target: PreviewTarget) =>
  previewConfigOf(definition).state === "fork" && state.refs[refLabel(target)] === undefined;

/** Why the fork cannot be taken (production's state is over the bound), checked before anything is published. */
export async function forkProblem(port: PreviewPort, id: string, definition: NormalizedDefinition): Promise<string | null> {
  return forkTooLarge(id, await port.productionBytes(id), forkBound(previewConfigOf(definition)));
}

/** The line a push and a check run show about the state a preview object starts with. */
export function forkNote(outcome: ForkOutcome): string {
  if (!outcome.ok) return outcome.reason;
  return `state forked from production: ${sizeText(outcome.bytes)} in ${outcome.ms} ms${outcome.redacted ? ", then redacted by preview.redact" : ""}`;
}

export interface PreviewPublication {
  target: PreviewTarget;
  repo: string;
  source: PreviewRecord["source"];
  sha: string;
  id: string;
  definition: NormalizedDefinition;
  environment: string;
}

/** Records the preview object in the platform's list (a new row, or the same one pushed again). */
export async function recordPreview(port: PreviewPort, publication: PreviewPublication): Promise<void> {
  const { target, definition } = publication;
  const config = previewConfigOf(definition);
  await port.record({
    ref: refLabel(target),
    id: publication.id,
    repo: publication.repo,
    source: publication.source,
    ...(target.kind === "topic" ? { gitRef: target.ref } : {}),
    sha: publication.sha,
    pushedAt: Date.now(),
    ttlMs: previewTtlMs(config),
    state: config.state ?? "empty",
  });
}

/** Takes the fork of a new preview object once it is live there; answers the line that says what its state is. */
export async function takeFork(port: PreviewPort, publication: PreviewPublication & { hash: string }): Promise<string> {
  return forkNote(await port.fork(publication.id, publication.environment, forkRequestOf(previewConfigOf(publication.definition), publication.hash)));
}
