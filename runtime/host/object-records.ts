// An object's own records, as its owners read them: calls, event log, schedules and their runs, outbox.
import type { ObjectRecordKind, ObjectRecords } from "../../schemas/index.ts";
import type { CallLog } from "./context/call-log.ts";
import type { CallMinutes } from "./context/call-minutes.ts";
import type { EventLog } from "./context/event-log.ts";
import type { Outbox } from "./context/outbox.ts";
import type { ScheduleStore } from "./context/schedule-store.ts";

export interface RecordStores {
  calls: CallLog;
  minutes: CallMinutes;
  log: EventLog;
  schedules: ScheduleStore;
  outbox: Outbox;
}

/** What `GET /<id>/__outbox`, `__events`, `__schedules` and `__calls` show, from an object's stores. */
export function recordsOf<K extends ObjectRecordKind>(stores: RecordStores, kind: K, limit: number): ObjectRecords[K] {
  const records: { [R in ObjectRecordKind]: () => ObjectRecords[R] } = {
    calls: () => ({ calls: stores.calls.list(limit), minutes: stores.minutes.lastHour(Date.now()) }),
    events: () => ({ events: stores.log.list(limit) }),
    schedules: () => ({ schedules: stores.schedules.rows().map((row) => ({ ...row, next_at: new Date(row.next_at).toISOString() })), runs: stores.schedules.runs(limit) }),
    outbox: () => ({ outbox: stores.outbox.list(limit) }),
  };
  return records[kind]();
}
