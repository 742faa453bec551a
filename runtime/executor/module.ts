// Turns a snapshot into the ES modules of its sandboxed worker (pure): user sources in `definition.js`, where no
// name binds anything of the runtime, and plain JSON tables in `main.js`.
import { listMethods } from "../../definitions/index.ts";
import { type Snapshot } from "../../registry/index.ts";
import { FactoryList } from "./factory-list.ts";
import { preparePages, type PreparedPages } from "./page-modules.ts";
import { PRELUDE_SOURCE } from "../facet/prelude-text.ts";
import type { SandboxTables } from "../shared/sandbox-protocol.ts";

export interface WorkerModules {
  mainModule: string;
  modules: Record<string, string>;
  /** Event patterns in declaration order (the handlers of an event run in this order). */
  eventPatterns: string[];
  /** Schedule patterns in declaration order. */
  schedulePatterns: string[];
  /** Every API method by its dotted name. */
  methods: Set<string>;
  /** Stateless methods: their source names no `$`, or reads only the definition's own fields (`$.$id`, `$.config`…). */
  stateless: Set<string>;
  /**
   * Methods the facet answers without a host crossing with the call: their sources name only `$.db`, `$.emit` and
   * the definition's own fields, and no event handler names more (a handler runs on its emitter's `$`).
   */
  hostless: Set<string>;
  /** Site and app pages, parsed, with the pages that need no object state, and those the facet answers alone. */
  pages: Omit<PreparedPages, "rows" | "local"> & { hostless: Set<string> };
}

/**
 * The key of a definition's `preview.redact` in the schedule table: it runs like a schedule handler (a `$`, no
 * arguments that matter), and no schedule pattern can be this text (patterns are `every.…` or cron fields).
 */
export const REDACT_KEY = "$preview.redact";


/** The modules of the sandboxed worker of one snapshot. */
export function buildWorkerModules(snapshot: Snapshot): WorkerModules {
  const { definition, hash } = snapshot;
  const factories = new FactoryList();
  const method = listMethods(definition).map(({ name, code }) => factories.add(name, code));
  const eventPatterns = Object.keys(definition.events ?? {});
  const event = eventPatterns.map((pattern) => factories.add(pattern, definition.events![pattern]!));
  const schedulePatterns = Object.keys(definition.schedules ?? {});
  const schedule = schedulePatterns.map((pattern) => factories.add(pattern, definition.schedules![pattern]!));
  if (definition.preview?.redact) schedule.push(factories.add(REDACT_KEY, definition.preview.redact));
  const pages = preparePages(definition, factories);
  // A handler runs on the `$` of the call that emitted its event: one that needs the host makes every call need it.
  const handlersNeedHost = event.some(([, , context]) => context === "state");
  const tables: SandboxTables = {
    meta: { $id: definition.$id, $type: definition.$type ?? null, $context: definition.$context ?? null, config: definition.config ?? {}, hash },
    method,
    event,
    schedule,
    page: pages.rows.page,
    component: pages.rows.component,
  };
  const main = [
    `import { createDefinition } from "./prelude.js";`,
    `import factories from "./definition.js";`,
    `const definition = createDefinition(${JSON.stringify(tables)}, factories);`,
    // The stateless entrypoint, and the facet the host runs with the object's SQLite (getDurableObjectClass("State")).
    `export default definition.Sandbox;`,
    `export const State = definition.State;`,
    "",
  ].join("\n");
  return {
    mainModule: "main.js",
    modules: { "main.js": main, "definition.js": factories.module(), "prelude.js": PRELUDE_SOURCE },
    eventPatterns,
    schedulePatterns,
    methods: new Set(method.map(([name]) => name)),
    // A method reading only what the definition says of itself runs from the Worker too: the sandbox answers it.
    stateless: new Set(method.filter(([, , context]) => context === "none" || context === "data").map(([name]) => name)),
    hostless: new Set(handlersNeedHost ? [] : method.filter(([, , context]) => context !== "state").map(([name]) => name)),
    pages: { pages: pages.pages, stateless: pages.stateless, hostless: handlersNeedHost ? new Set() : pages.local },
  };
}
