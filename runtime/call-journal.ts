// Calls answered in the Worker (methods that never touch `$`) are logged in their object's call log in batches: one
// Durable Object call per object and second, sent after the response, so the hot path pays nothing but a push.
import type { CallEntry } from "./context/call-log.ts";

export type SendCalls = (environment: string, id: string, entries: CallEntry[]) => Promise<void>;

/** At most this many calls per object wait for one flush; beyond, the oldest are dropped (the log keeps 1000 anyway). */
const MAX_PENDING = 1000;

export function createCallJournal(send: SendCalls, delayMs = 1000) {
  let pending = new Map<string, { environment: string; id: string; entries: CallEntry[] }>();
  let scheduled = false;

  async function flush(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const batch = pending;
    pending = new Map();
    scheduled = false;
    await Promise.all([...batch.values()].map(({ environment, id, entries }) => send(environment, id, entries).catch(() => undefined)));
  }

  return {
    /** Queues one call; the first call of a window keeps its request alive (waitUntil) until the batch is sent. */
    note(environment: string, id: string, entry: CallEntry, waitUntil: ((promise: Promise<unknown>) => void) | undefined): void {
      const key = `${environment}\n${id}`;
      const slot = pending.get(key) ?? pending.set(key, { environment, id, entries: [] }).get(key)!;
      slot.entries.push(entry);
      if (slot.entries.length > MAX_PENDING) slot.entries.shift();
      if (!scheduled && waitUntil) {
        scheduled = true;
        waitUntil(flush());
      }
    },
  };
}

export type CallJournal = ReturnType<typeof createCallJournal>;
