// `$.email`, `$.sms`, `$.slack`: tagged-template messages, delivered through the outbound adapter the object's config
// names, or kept in its outbox (previews, local development) where `GET /<id>/__outbox` shows them.
import { checkPublicUrl, fetchWithDeadline } from "../../../core/index.ts";
import { CHANNELS, type Channel, type OutboxEntry } from "../../../schemas/index.ts";
import type { Outbox } from "./outbox.ts";

const MAX_MESSAGE_CHARS = 16_384;

/** A refused message (no adapter, delivery failed, bad channel): surfaces as the method's own error. */
export class MessageError extends Error {
  override name = "MessageError";
}

export interface MessagesOptions {
  outbox: Outbox;
  /** `outbox` keeps every message here instead of sending it (preview environments, local development). */
  mode: "deliver" | "outbox";
  /** The object's `config.outbound`: `{ slack: { url, secret? } }`, `secret` naming a platform secret. */
  adapters: unknown;
  /** Platform secrets by name; only the platform holds them, the definition only names them. */
  secrets: Record<string, string>;
  allowPrivateUrls: boolean;
  object: { id: string; environment: string };
  fetch?: typeof fetch;
}

function adapterOf(adapters: unknown, channel: Channel): { url: string; secret?: string } | null {
  const entry = (adapters as Record<string, unknown> | undefined)?.[channel];
  if (!entry || typeof entry !== "object" || typeof (entry as { url?: unknown }).url !== "string") return null;
  const { url, secret } = entry as { url: string; secret?: unknown };
  return typeof secret === "string" ? { url, secret } : { url };
}

/** The messages of one object in one environment. */
export function createMessages({ outbox, mode, adapters, secrets, allowPrivateUrls, object, fetch: send = fetchWithDeadline("messages") }: MessagesOptions) {
  const record = outbox.record;

  return {
    async send(channel: unknown, text: unknown): Promise<{ status: OutboxEntry["status"] }> {
      if (!CHANNELS.includes(channel as Channel)) throw new MessageError(`no channel ${String(channel)}`);
      const body = String(text);
      if (body.length > MAX_MESSAGE_CHARS) throw new MessageError(`a message holds at most ${MAX_MESSAGE_CHARS} characters`);
      const name = channel as Channel;
      if (mode === "outbox") {
        record(name, body, "outbox", null);
        return { status: "outbox" };
      }
      const adapter = adapterOf(adapters, name);
      if (!adapter) throw new MessageError(`no outbound adapter for ${name}: set config.outbound.${name} = { url, secret? }`);
      const url = checkPublicUrl(adapter.url, allowPrivateUrls, "outbound-not-allowed", `/config/outbound/${name}/url`);
      const token = adapter.secret === undefined ? undefined : secrets[adapter.secret];
      if (adapter.secret !== undefined && token === undefined) throw new MessageError(`the platform holds no secret named ${adapter.secret}`);
      const response = await send(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ channel: name, text: body, object: object.id, environment: object.environment }),
      }).catch(() => null);
      if (!response?.ok) {
        const detail = response ? `the adapter answered ${response.status}` : "the adapter did not answer";
        record(name, body, "failed", detail);
        throw new MessageError(`${name} not delivered: ${detail}`);
      }
      record(name, body, "sent", null);
      return { status: "sent" };
    },
  };
}

export type Messages = ReturnType<typeof createMessages>;
