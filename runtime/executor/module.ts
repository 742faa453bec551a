// Turns a snapshot into the ES modules of its sandboxed worker (pure): each source as an instrumented expression.
import { listMethods, type Snapshot } from "../../registry/index.ts";
import { sandboxEntry as entryText } from "./instrument.ts";
import { preparePages, type PreparedPages } from "./page-modules.ts";
import { PRELUDE_SOURCE } from "./prelude.ts";

export interface WorkerModules {
  mainModule: string;
  modules: Record<string, string>;
  /** Event patterns in the order of the generated handler table (`event(index, …)`). */
  eventPatterns: string[];
  /** Schedule patterns in the order of the generated table (`schedule(index, …)`). */
  schedulePatterns: string[];
  /** Every API method by its dotted name. */
  methods: Set<string>;
  /** Methods whose source never names `$`: they need no object state and run without a context. */
  contextFree: Set<string>;
  /** Site and app pages, parsed, with the pages that need no object state. */
  pages: Omit<PreparedPages, "lines">;
}


/** The modules of the sandboxed worker of one snapshot. */
export function buildWorkerModules(snapshot: Snapshot): WorkerModules {
  const { definition, hash } = snapshot;
  const contextFree = new Set<string>();
  const methods = listMethods(definition).map(({ name, code }) => {
    const entry = entryText(code);
    if (!entry.usesContext) contextFree.add(name);
    return `  [${JSON.stringify(name)}, ${entry.text}],`;
  });
  const eventPatterns = Object.keys(definition.events ?? {});
  const events = eventPatterns.map((pattern) => `  ${entryText(definition.events![pattern]!).text},`);
  const schedulePatterns = Object.keys(definition.schedules ?? {});
  const schedules = schedulePatterns.map((pattern) => `  ${entryText(definition.schedules![pattern]!).text},`);
  const pages = preparePages(definition);
  const meta = { $id: definition.$id, $type: definition.$type ?? null, $context: definition.$context ?? null, config: definition.config ?? {}, hash };
  const main = [
    `import { WorkerEntrypoint } from "cloudflare:workers";`,
    `import { createEntrypoint } from "./prelude.js";`,
    `const META = ${JSON.stringify(meta)};`,
    `const METHODS = new Map([`,
    ...methods,
    `]);`,
    `const EVENTS = [`,
    ...events,
    `];`,
    `const SCHEDULES = [`,
    ...schedules,
    `];`,
    ...pages.lines,
    `export default createEntrypoint(WorkerEntrypoint, META, METHODS, EVENTS, SCHEDULES, PAGES, COMPONENTS);`,
  ].join("\n");
  const names = new Set(listMethods(definition).map(({ name }) => name));
  return { mainModule: "main.js", modules: { "main.js": main, "prelude.js": PRELUDE_SOURCE }, eventPatterns, schedulePatterns, methods: names, contextFree, pages: { pages: pages.pages, contextFree: pages.contextFree } };
}
