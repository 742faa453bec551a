// The webhook endpoint's service: verify the signature over the raw body first, then map, dedupe and enqueue.
// It answers in milliseconds; the work happens in the Queue consumer.
import { verify } from "@octokit/webhooks-methods";
import { ObjectsError, parseJsonText, readLimitedText } from "../../core/index.ts";
import type { Job } from "../../schemas/index.ts";
import type { StoredConnection } from "../sources/source-object.ts";
import { mapEvent } from "./map-event.ts";

export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;
/** How long the dedupe check may take before the delivery is enqueued anyway (jobs are idempotent). */
const DEDUPE_WAIT_MS = 2000;

/** The parts of a connected repository's Durable Object the endpoint uses. */
export interface WebhookSource {
  connection(): Promise<StoredConnection | null>;
  remember(delivery: string, repositoryId: number): Promise<"new" | "duplicate" | "foreign">;
}

export interface WebhookDeps {
  source(name: string): WebhookSource;
  enqueue(jobs: Job[]): Promise<void>;
  /** The GitHub App's webhook secret, for deliveries to the shared endpoint; per-repository secrets otherwise. */
  appSecret?: string;
}

export type WebhookAnswer = { status: 200 | 202 | 204; body?: Record<string, unknown> };

const unauthenticated = (code: "webhook-secret-missing" | "signature-missing" | "signature-invalid", message: string) => new ObjectsError(code, message);

/** What GitHub sends in X-Hub-Signature-256, exactly: anything else is refused before any HMAC is computed. */
const SIGNATURE = /^sha256=[0-9a-f]{64}$/;

async function readBody(request: Request): Promise<string> {
  try {
    return await readLimitedText(request, MAX_WEBHOOK_BYTES, "the webhook body");
  } catch (error) {
    if (error instanceof ObjectsError) throw error;
    throw new ObjectsError("body-unreadable", "the webhook body could not be read");
  }
}

async function withinTime<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Handles one delivery to `/_/webhooks/github[/<owner>/<name>]`. */
export async function ingestWebhook(deps: WebhookDeps, request: Request, repoName?: string): Promise<WebhookAnswer> {
  const body = await readBody(request);
  const secret = repoName ? (await deps.source(repoName).connection())?.config.webhookSecret : deps.appSecret;
  // Fail closed: no secret configured means nothing is accepted, never a check against an empty key.
  if (!secret) throw unauthenticated("webhook-secret-missing", "no webhook secret is configured for this endpoint");
  const signature = request.headers.get("x-hub-signature-256");
  if (!signature) throw unauthenticated("signature-missing", "X-Hub-Signature-256 is required (the legacy SHA-1 signature is not accepted)");
  if (!SIGNATURE.test(signature)) throw unauthenticated("signature-invalid", "X-Hub-Signature-256 is sha256= followed by 64 lowercase hex digits");
  if (body === "") throw new ObjectsError("body-empty", "the webhook body is empty");
  if (!(await verify(secret, body, signature))) throw unauthenticated("signature-invalid", "the signature does not match the body");

  const event = request.headers.get("x-github-event") ?? "";
  const delivery = request.headers.get("x-github-delivery") ?? crypto.randomUUID();
  const outcome = mapEvent(event, parseJsonText(body, "the webhook body"), delivery);
  if (outcome.kind === "pong") return { status: 200, body: { status: "pong" } };
  if (outcome.kind === "ignored") return { status: 204 };
  if (repoName && outcome.repo.toLowerCase() !== repoName.toLowerCase()) {
    return { status: 202, body: { status: "ignored", reason: `the delivery is for ${outcome.repo}, not ${repoName}` } };
  }
  const source = deps.source(repoName ?? outcome.repo);
  if (!repoName && !(await source.connection())) return { status: 202, body: { status: "ignored", reason: `${outcome.repo} is not connected` } };
  const seen = await withinTime(source.remember(delivery, outcome.repositoryId), DEDUPE_WAIT_MS);
  if (seen === "duplicate") return { status: 200, body: { status: "duplicate", delivery } };
  if (seen === "foreign") return { status: 202, body: { status: "ignored", reason: "the repository id differs from the connected one (renamed or transferred?)" } };
  await deps.enqueue(outcome.jobs);
  return { status: 202, body: { status: "queued", delivery, jobs: outcome.jobs.length } };
}
