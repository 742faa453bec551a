// What `GET /<id>/__schema` answers: the callable surface of one version (pure).
import { listMethods } from "../definitions/index.ts";
import { type Snapshot } from "../registry/index.ts";

export interface SchemaView {
  id: string;
  type: string | null;
  hash: string;
  versions: string[];
  methods: Array<{ name: string; params: string[] | null; returns: string | null }>;
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
    methods: listMethods(definition).map(({ name, params, returns }) => ({ name, params: params ?? null, returns: returns ?? null })),
    events: Object.keys(definition.events ?? {}),
    schedules: Object.keys(definition.schedules ?? {}),
    site: Object.keys(definition.site ?? {}),
    app: Object.keys(definition.app ?? {}),
  };
}
