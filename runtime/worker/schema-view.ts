// What `GET /<id>/__schema` answers: the callable surface of one version (pure).
import { describeMethods, signatureText } from "../../definitions/index.ts";
import { type Snapshot } from "../../registry/index.ts";
import { toolOf, type Tool } from "./object-tools.ts";

export interface SchemaView {
  id: string;
  type: string | null;
  hash: string;
  versions: string[];
  /** `params` as a signature shows them (`email?`, `...tags`), from the definition's `params` or the source. */
  methods: Array<{ name: string; signature: string; params: string[]; returns: string | null; inputSchema: Tool["inputSchema"] }>;
  events: string[];
  schedules: string[];
  site: string[];
  app: string[];
}

/** The schema of a snapshot, with the versions that name it. */
export function schemaView(snapshot: Snapshot, versions: string[]): SchemaView {
  const { definition } = snapshot;
  return {
    id: definition.$id,
    type: definition.$type ?? null,
    hash: snapshot.hash,
    versions,
    methods: describeMethods(definition).map((method) => ({
      name: method.name,
      signature: signatureText(method),
      params: method.params.map((p) => p.text),
      returns: method.returns ?? null,
      inputSchema: toolOf(method, definition.$id).inputSchema,
    })),
    events: Object.keys(definition.events ?? {}),
    schedules: Object.keys(definition.schedules ?? {}),
    site: Object.keys(definition.site ?? {}),
    app: Object.keys(definition.app ?? {}),
  };
}
