// The factories of a generated `definition.js`: each user source as an anonymous function of `$` and a guard (pure).
import { factoryText } from "./instrument.ts";
import type { EntryRow } from "../shared/sandbox-protocol.ts";

/** Collects the factories of `definition.js`, each one user source, and the table rows naming them. */
export class FactoryList {
  readonly texts: string[] = [];

  add(key: string, source: string): EntryRow {
    const { text, context } = factoryText(source);
    this.texts.push(text);
    return [key, this.texts.length - 1, context];
  }

  /** The module: one array of anonymous functions, its default export; the module scope declares nothing. */
  module(): string {
    return ["export default [", ...this.texts.map((text) => `${text},`), "];", ""].join("\n");
  }
}
