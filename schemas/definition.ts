// The DODefinition (the seed's interface) as zod: the single source of truth for what a definition may hold.
import { z } from "zod";
import { IdPatternSchema } from "./id-pattern.ts";
import { ObjectIdSchema } from "./object-id.ts";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;
/** A declared parameter: `name`, `name?` (may be left out), optionally typed: `count: number`, `tags?: array`. */
const DECLARED_PARAM = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}\??(?:\s*:\s*(?:string|number|integer|boolean|object|array))?$/;
/** An API method or namespace name: a JavaScript identifier (so it is callable as `obj.name`). */
export const MethodNameSchema = z.string().regex(IDENTIFIER, "a method name must be a JavaScript identifier");

/** Source text of one function expression, e.g. `async (name) => \`Hello ${name}!\``. */
export const FunctionSourceSchema = z
  .string()
  .min(1, "a function source must not be empty")
  .max(262_144, "a function source may hold at most 256 KiB");

export const MethodSpecSchema = z.strictObject({
  code: FunctionSourceSchema,
  params: z
    .array(z.string().regex(DECLARED_PARAM, "a parameter is a name, `name?` when it may be left out, optionally `: string|number|integer|boolean|object|array`"))
    .max(32)
    .optional(),
  returns: z.string().max(1024).optional(),
});
export type MethodSpec = z.infer<typeof MethodSpecSchema>;

/** A node of the API tree: a source string, a `{code, params, returns}` spec, or a nested namespace. */
export type ApiNode = string | MethodSpec | ApiNamespace;
export interface ApiNamespace {
  [name: string]: ApiNode;
}
const SPEC_KEYS = new Set(["code", "params", "returns"]);
/** An object with a string `code` and no key outside `code`, `params`, `returns` is a method spec, never a namespace. */
export const looksLikeMethodSpec = (value: unknown): boolean =>
  value !== null && typeof value === "object" && typeof (value as { code?: unknown }).code === "string" && Object.keys(value).every((key) => SPEC_KEYS.has(key));

export const ApiNamespaceSchema: z.ZodType<ApiNamespace> = z
  .record(
    MethodNameSchema,
    z.union([FunctionSourceSchema, MethodSpecSchema, z.lazy(() => ApiNamespaceSchema)], {
      error: "expected a function source, a {code, params, returns} object or a namespace of methods",
    }),
  )
  // A spec-shaped object never passes as a namespace: report why it fails as a spec instead.
  .superRefine((value, ctx) => {
    if (!looksLikeMethodSpec(value)) return;
    for (const issue of MethodSpecSchema.safeParse(value).error?.issues ?? []) ctx.addIssue({ ...issue, path: [...issue.path] } as never);
  });

/** `Noun.verb`, `Noun.*`, `*.verb` or `*`. */
export const EventPatternSchema = z
  .string()
  .regex(/^(?:\*|[A-Za-z_$][\w$]{0,63})(?:\.(?:\*|[A-Za-z_$][\w$]{0,63})){0,3}$/, "an event pattern is Noun.verb, Noun.*, *.verb or *");

/** `every.hour`, `every.day.at9am`, or a 5-field cron expression. */
export const SchedulePatternSchema = z.string().min(1).max(128);

/** A page path: `/` or `/a/b` of URL-safe characters. */
export const PagePathSchema = z.string().regex(/^\/(?:[A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]+)*)?$/, "a page path looks like / or /docs/intro");
const PageSourceSchema = z.string().max(1_048_576);

/** A page component a definition provides (`<Chart />`): a capitalized JavaScript identifier. */
export const ComponentNameSchema = z.string().regex(/^[A-Z][A-Za-z0-9_]{0,63}$/, "a component name is a capitalized identifier, e.g. Chart");

export const AgentSchema = z.strictObject({
  model: z.enum(["best", "fast", "cost", "reasoning"]).optional(),
  systemPrompt: z.string().max(65_536),
  tools: z.array(z.string().max(256)).max(128).optional(),
  voice: z.strictObject({ provider: z.string().max(64), voiceId: z.string().max(256) }).optional(),
});
export type Agent = z.infer<typeof AgentSchema>;

/** The whole definition of one object, as a user writes it (JSON, YAML or files). */
export const DefinitionSchema = z.strictObject({
  $schema: z.string().max(2048).optional(),
  $id: ObjectIdSchema.optional(),
  $type: z.string().max(128).optional(),
  $context: z.string().max(2048).optional(),
  /** The child objects whose events this object takes when they bubble up (id patterns, as token scopes). */
  accepts: z.array(IdPatternSchema).max(100).optional(),
  $version: z.string().max(128).optional(),
  api: ApiNamespaceSchema.optional(),
  events: z.record(EventPatternSchema, FunctionSourceSchema).optional(),
  schedules: z.record(SchedulePatternSchema, FunctionSourceSchema).optional(),
  site: z.union([PageSourceSchema, z.record(PagePathSchema, PageSourceSchema)]).optional(),
  app: z.record(PagePathSchema, PageSourceSchema).optional(),
  components: z.record(ComponentNameSchema, FunctionSourceSchema).optional(),
  agent: AgentSchema.optional(),
  /** What runs on a forked preview's copy of production state before it serves anything (to scrub personal data). */
  preview: z.strictObject({ redact: FunctionSourceSchema.optional() }).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});
export type Definition = z.infer<typeof DefinitionSchema>;

/** A definition after normalization: `$id` set, `$schema` dropped, `site` always a map. */
export type NormalizedDefinition = Omit<Definition, "$schema" | "site" | "$id"> & {
  $id: string;
  site?: Record<string, string>;
};
