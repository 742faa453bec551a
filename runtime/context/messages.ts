// `$.email`, `$.sms`, `$.slack`: tagged-template messages, delivered through the outbound adapter the object's config
// names, or kept in its outbox (previews, local development) where `GET /<id>/__outbox` shows them.
import { checkPublicUrl, fetchWithDeadline } from "../../registry/index.ts";

export const CHANNELS = ["email", "sms", "slack"] as const;
export type Channel = (typeof CHANNELS)[number];
const MAX_MESSAGE_CHARS = 16_384;
const KEEP_OUTBOX = 1000;

export const OUTBOX_SCHEMA = `
  CREATE TABLE IF NOT EXISTS __outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, text TEXT NOT NULL,
    at TEXT NOT NULL, status TEXT NOT NULL, detail TEXT);
`;

/** A refused message (no adapter, delivery failed, bad channel): surfaces as the method's own error. */
export class MessageError extends Error {
  override name = "MessageError";
}

export type OutboxEntry = {
  seq: number;
  channel: Channel;
  text: string;
  at: string;
  status: "outbox" | "sent" | "failed";
  detail: string | null;
};

export interface MessagesOptions {
  sql: SqlStorage;
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
export function createMessages({ sql, mode, adapters, secrets, allowPrivateUrls, object, fetch: send = fetchWithDeadline("messages") }: MessagesOptions) {
  sql.exec(OUTBOX_SCHEMA);
  const record = (channel: Channel, text: string, status: OutboxEntry["status"], detail: string | null) => {
    sql.exec("INSERT INTO __outbox (channel, text, at, status, detail) VALUES (?, ?, ?, ?, ?)", channel, text, new Date().toISOString(), status, detail);
    sql.exec("DELETE FROM __outbox WHERE seq <= (SELECT max(seq) FROM __outbox) - ?", KEEP_OUTBOX);
  };

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

    /** The newest messages first. */
    outbox(limit = 100): OutboxEntry[] {
      return sql.exec<OutboxEntry>("SELECT seq, channel, text, at, status, detail FROM __outbox ORDER BY seq DESC LIMIT ?", Math.min(Math.max(1, limit), KEEP_OUTBOX)).toArray();
    },
  };
}

export type Messages = ReturnType<typeof createMessages>;
