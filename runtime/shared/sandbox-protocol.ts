// The sandbox ⇄ host protocol, typed once: imported by the sandbox's prelude (built into module text) and the host.

/** Why a sandboxed call stopped without a result; the host maps each code to one typed failure. */
export type SandboxFailureCode =
  | "method-not-found"
  | "method-failed"
  | "cpu-limit"
  | "call-timeout"
  | "non-serializable-result"
  | "result-too-large";

/** What a sandboxed call answered, once decoded on the host. */
export type SandboxReply = { ok: true; json: string } | { ok: false; code: SandboxFailureCode; name: string; message: string };

/**
 * A reply as it crosses RPC: a string, because a primitive is never a thenable (a definition may put a `then` on
 * `Object.prototype` in its own isolate; workerd cannot send null-prototype objects). `=` + the result's JSON, or
 * `!` + the JSON of the failure; the events the call emitted, if any, before either as `@<length>:<JSON>`; a refusal
 * the facet made during the call (its storage full, `$.fsx` over its quota) in front of all as `~storage:`/`~fsx:`.
 */
export type WireReply = string & { readonly __wire: "reply" };

/** What a facet refused during a call: the call answers 507 (storage) or 429 (fsx) whatever the code made of it. */
export type Refusal = "storage" | "fsx";
const REFUSALS: readonly Refusal[] = ["storage", "fsx"];

/** A facet's reply with the refusal it made during the call in front. */
export function withRefusal(wire: WireReply, refusal: Refusal | undefined): WireReply {
  return (refusal ? `~${refusal}:${wire}` : wire) as WireReply;
}

export function encodeReply(reply: SandboxReply, stringify: (value: unknown) => string = JSON.stringify): WireReply {
  return (reply.ok ? `=${reply.json}` : `!${stringify({ code: reply.code, name: reply.name, message: reply.message })}`) as WireReply;
}

/** A reply with the call's events in front (see `EventReport`): one crossing carries both. */
export function withEvents(wire: WireReply, events: string): WireReply {
  return `@${events.length}:${events}${wire}` as WireReply;
}

/** The reply a wire string carries, and its events' JSON; anything malformed reads as a failed call, never as a result. */
export function decodeReply(wire: unknown): SandboxReply & { events?: string; refused?: Refusal } {
  const { refused, rest } = splitRefusal(wire);
  const { events, body } = splitEvents(rest);
  const reply = decodeBody(body);
  // Most replies carry neither: they are answered without a copy.
  if (events === undefined && !refused) return reply;
  return { ...reply, ...(events === undefined ? {} : { events }), ...(refused ? { refused } : {}) };
}

/** The refusal in front of a facet's reply (`~<kind>:`), and the rest; an unknown kind reads as storage's. */
function splitRefusal(wire: unknown): { refused?: Refusal; rest: unknown } {
  if (typeof wire !== "string" || !wire.startsWith("~")) return { rest: wire };
  const colon = wire.indexOf(":");
  const kind = wire.slice(1, colon) as Refusal;
  return { refused: REFUSALS.includes(kind) ? kind : "storage", rest: colon < 0 ? "" : wire.slice(colon + 1) };
}

/** The events' JSON in front of a reply (`@<length>:`), and the reply after them; a malformed length leaves no reply. */
function splitEvents(wire: unknown): { events?: string; body: unknown } {
  if (typeof wire !== "string" || !wire.startsWith("@")) return { body: wire };
  const colon = wire.indexOf(":");
  const length = Number(wire.slice(1, colon));
  if (colon < 0 || !Number.isSafeInteger(length) || length < 0) return { body: "" };
  return { events: wire.slice(colon + 1, colon + 1 + length), body: wire.slice(colon + 1 + length) };
}

function decodeBody(wire: unknown): SandboxReply {
  if (typeof wire === "string" && wire.startsWith("=")) return { ok: true, json: wire.slice(1) };
  try {
    const { code, name, message } = JSON.parse(typeof wire === "string" ? wire.slice(1) : "") as Record<string, unknown>;
    if (typeof code === "string" && typeof message === "string") return { ok: false, code: code as SandboxFailureCode, name: String(name ?? "Error"), message };
  } catch {
    // Falls through to the failure below.
  }
  return { ok: false, code: "method-failed", name: "Error", message: "the sandbox answered something that is not a reply" };
}

/** The parts of a definition the generated module holds, each in its own table. */
export type EntryKind = "method" | "event" | "schedule" | "page" | "component";

/**
 * How a source uses `$`: not at all; only for what the definition says of itself (`$.$id`, `$.$type`, `$.$context`,
 * `$.config`: the sandbox can answer that alone); besides those only for what its facet answers alone (`$.db`,
 * `$.emit`: no host crosses with the call); or for state and capabilities (the ObjectDO's host).
 */
export type ContextUse = "none" | "data" | "local" | "state";

/** The fields of `$` a "local" source may read besides the data fields: the facet answers them without its host. */
export const LOCAL_FIELDS = ["db", "emit"] as const;

/** The fields of `$` a "data" source may read: exactly the fields of SandboxMeta but the hash. */
export const DATA_FIELDS = ["$id", "$type", "$context", "config"] as const;

/** One entry of the generated tables: its key (method name, pattern, page key, component name), its factory's index in `definition.js`, and how its source uses `$`. */
export type EntryRow = [key: string, factory: number, context: ContextUse];

/** The tables the generated `main.js` hands to the prelude: plain JSON, no code. */
export interface SandboxTables {
  meta: SandboxMeta;
  method: EntryRow[];
  event: EntryRow[];
  schedule: EntryRow[];
  page: EntryRow[];
  component: EntryRow[];
}

/** What `$` tells a definition about itself. */
export interface SandboxMeta {
  $id: string;
  $type: string | null;
  $context: string | null;
  config: Record<string, unknown>;
  hash: string;
}

/** Limits of every call, reaching the sandbox as JSON in its `env`. */
export interface SandboxLimits {
  /** Guard ticks (function entries and loop iterations) one call may spend: stops sync code. */
  ticks: number;
  /** Wall-clock milliseconds of one call: stops code that waits. */
  ms: number;
  /** Characters of JSON one result may hold. */
  maxResultChars: number;
  /** Hops an event may make (handlers emitting, objects bubbling) before it is cut: an event this deep runs no handler. */
  maxEventDepth: number;
}

export interface SandboxEnv {
  limits: SandboxLimits;
  /** What the facet holding the object's state enforces itself: its storage quota and per-call `$.fsx` uses. */
  state: { storageBytes: number; fsxPerCall: number };
}

/** A function of `definition.js` that failed to start at the trial load, named by its table and key. */
export interface CheckProblem {
  kind: EntryKind;
  key: string;
  message: string;
}

/** What a page's expressions see as `page`. */
export interface PageInfo {
  path: string;
  query: Record<string, string>;
  /** On app pages: who is signed in (`sub`, `provider`, `email`, `name`). */
  user?: { sub: string; provider: string; email?: string; name?: string };
}

/** One use of a definition component on a page: literal props, and props taken from expression values by id. */
export interface ComponentCall {
  name: string;
  props: Record<string, unknown>;
  expressions: Record<string, number>;
}

/** How one handler of an event ended, as the sandbox reports it: its reply (`=null` once it succeeded). */
export interface HandlerOutcome {
  pattern: string;
  reply: WireReply;
}

/**
 * An event a call emitted (or, in a call delivering a bubbled event, that event): its local handlers already ran in
 * the sandbox, in pattern order; the host logs them and bubbles the event once the call has answered.
 */
export interface EventReport {
  name: string;
  /** Hops from the call's own origin: 0 for what the call itself emitted (or the event it delivers). */
  depth: number;
  /** The event's data as JSON (event data is JSON, as params and results are). */
  data: string;
  handlers: HandlerOutcome[];
}

/** Events one call may emit: a loop of emits ends with a clear error, not an unbounded reply. */
export const MAX_EVENTS_PER_CALL = 1000;

/** The reports a sandbox sent, checked on the host: anything malformed is dropped. */
export function eventReports(json: string | undefined): EventReport[] {
  let value: unknown;
  try {
    value = json === undefined ? [] : JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value.slice(0, MAX_EVENTS_PER_CALL).flatMap((report): EventReport[] => {
    if (typeof report?.name !== "string" || typeof report.data !== "string" || !Number.isSafeInteger(report.depth) || report.depth < 0 || !Array.isArray(report.handlers)) return [];
    const handlers = report.handlers.filter((h: HandlerOutcome) => typeof h?.pattern === "string" && typeof h?.reply === "string");
    return [{ name: report.name, depth: report.depth, data: report.data, handlers }];
  });
}

/** The second argument of an event handler. */
export interface EventInfo {
  name: string;
  source: string;
  hops: number;
}

/** The argument of a schedule handler. */
export interface TickInfo {
  pattern: string;
  at: string;
}

/** One evaluated page: each expression's value or error, then each component call's. */
export interface PageResult {
  values: Array<{ value: unknown } | { error: string }>;
  components: Array<{ value: unknown } | { error: string }>;
}

/** The RPC surface of a loaded definition (the class the prelude creates). */
export interface SandboxEntrypoint {
  call(name: string, params: unknown[], host: SandboxHost | undefined): Promise<WireReply>;
  /** Runs the handlers of an event that bubbled up to this object (`data`: its JSON); its reply carries the event's report (last). */
  event(data: string, host: SandboxHost, event: EventInfo): Promise<WireReply>;
  schedule(pattern: string, host: SandboxHost | undefined, tick: TickInfo): Promise<WireReply>;
  /** Evaluates a page's expressions and the definition components it uses (`calls`, in document order). */
  page(key: string, info: PageInfo, calls: ComponentCall[], host: SandboxHost | undefined): Promise<WireReply>;
  check(): Promise<CheckProblem[]>;
}

/** `$.db.<Collection>.<operation>(…)`. */
export const COLLECTION_OPERATIONS = ["create", "get", "list", "update", "delete", "find"] as const;
/** `$.fsx.<operation>(…)`. */
export const FILE_OPERATIONS = ["read", "write", "list", "delete"] as const;
/** `$.gitx.<operation>(…)`. */
export const GIT_OPERATIONS = ["commit", "history", "checkout"] as const;
/** `$.email\`…\``, `$.sms\`…\``, `$.slack\`…\``. */
export const MESSAGE_CHANNELS = ["email", "sms", "slack"] as const;
/** `$.ai.…`, `$.stripe.…`: service calls by path. */
export const SERVICE_NAMES = ["ai", "stripe", "esbuild", "github"] as const;

export type CollectionOperation = (typeof COLLECTION_OPERATIONS)[number];
export type FileOperation = (typeof FILE_OPERATIONS)[number];
export type GitOperation = (typeof GIT_OPERATIONS)[number];
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

/** What a facet asks of its host besides `$`'s outside capabilities: blobs of large files. */
export interface FacetHost extends SandboxHost {
  putBlob(bytes: Uint8Array): Promise<string>;
  getBlob(key: string): Promise<Uint8Array | null>;
  deleteBlob(key: string): Promise<void>;
}

/** A storage operation's outcome as it crosses RPC to the host: a value, or the error the definition would see. */
export type StateResult = { ok: true; value: unknown } | { ok: false; name: string; message: string; refused?: Refusal };

/** Tables of an object's own state (the facet's), as copied from an earlier layout. */
export const STATE_TABLES = ["__documents", "__files", "__git"] as const;
export type StateTable = (typeof STATE_TABLES)[number];

/**
 * The facet: a definition's Durable Object class, run by the host with the object's own SQLite. It answers what the
 * sandbox does with `$.db` and `$.fsx` local, and serves that state to the host (calls of another version, `$.gitx`
 * and `$.bashx`, the copy from an earlier layout).
 */
export interface FacetEntrypoint extends SandboxEntrypoint {
  /** Without a host for a method whose sources name nothing but what the facet answers (ContextUse "local"). */
  call(name: string, params: unknown[], host: FacetHost | undefined): Promise<WireReply>;
  event(data: string, host: FacetHost, event: EventInfo): Promise<WireReply>;
  schedule(pattern: string, host: FacetHost, tick: TickInfo): Promise<WireReply>;
  page(key: string, info: PageInfo, calls: ComponentCall[], host: FacetHost | undefined): Promise<WireReply>;
  db(collection: string, operation: string, args: unknown[]): Promise<StateResult>;
  /** `$.fsx`'s operations and the host's (`readBytes`, `entries`), large contents through `blobs`. */
  fsx(operation: string, args: unknown[], blobs: FacetHost): Promise<StateResult>;
  /** The `.git/` rows of `$.gitx`: `read`, `write`, `delete`, `paths`. */
  git(operation: string, args: unknown[]): Promise<StateResult>;
  importRows(table: StateTable, columns: string[], rows: unknown[][]): Promise<void>;
  storedBytes(): Promise<number>;
  /** Marks every blob as shared before a clone: production never deletes one a fork may name. */
  shareBlobs(): Promise<void>;
}

/**
 * The host half of `$`, as the sandbox calls it over RPC. Arguments arrive unchecked (they come from user code):
 * the host validates each one.
 */
export interface SandboxHost {
  db(collection: string, operation: CollectionOperation, args: unknown[]): Promise<unknown>;
  fsx(operation: FileOperation, args: unknown[]): Promise<unknown>;
  message(channel: MessageChannel, text: string): Promise<unknown>;
  service(name: string, path: string[], args: unknown[]): Promise<unknown>;
  gitx(operation: GitOperation, args: unknown[]): Promise<unknown>;
  bashx(command: string): Promise<unknown>;
}
