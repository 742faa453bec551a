// The catalogue of problem codes: every ObjectsError names one of these, and its kind (so its HTTP status) and
// whether it may pass on a retry come from here, never from the throw site. README's error table is printed from
// it (`npm run docs:errors`; a unit test fails when README is stale). Located issues inside a 422 (`errors[].code`,
// e.g. `syntax-error`) are another, finer namespace: they say what is wrong with one field.
import type { ErrorKind } from "./errors.ts";

export interface ErrorCodeSpec {
  kind: ErrorKind;
  /** One line: when it is answered. */
  meaning: string;
  /** May pass on a retry (default: only `unavailable` codes). */
  retryable?: boolean;
}

/** Capabilities of `$` whose per-call quota answers `quota-<capability>`. */
export const QUOTA_CAPABILITIES = ["fsx", "email", "sms", "slack", "ai", "stripe", "github", "esbuild", "gitx", "bashx"] as const;
export type QuotaCapability = (typeof QUOTA_CAPABILITIES)[number];

export const ERROR_CODES = {
  // Requests
  "not-found": { kind: "not-found", meaning: "no management endpoint at this path" },
  "method-not-allowed": { kind: "method-not-allowed", meaning: "the path exists but not with this HTTP method" },
  "body-empty": { kind: "bad-request", meaning: "a body is required (webhook deliveries)" },
  "body-unreadable": { kind: "bad-request", meaning: "the body could not be read" },
  "body-too-large": { kind: "too-large", meaning: "the body is larger than this endpoint takes" },
  "json-invalid": { kind: "bad-request", meaning: "the body is not valid JSON" },
  "max-depth": { kind: "invalid", meaning: "JSON nested deeper than the limit" },
  "rpc-body-invalid": { kind: "bad-request", meaning: 'an RPC body is {"method", "params": [...]}' },
  "agent-body-invalid": { kind: "bad-request", meaning: "an agent request is {messages: [...]}" },
  "rollback-body-invalid": { kind: "bad-request", meaning: 'a rollback body is {"to": "<ref>"}' },
  "promote-body-invalid": { kind: "bad-request", meaning: 'a promote body is {"from": "<ref>"}' },
  "release-body-invalid": { kind: "bad-request", meaning: 'a release body is {"hash"} or {"ref"}' },
  "from-required": { kind: "bad-request", meaning: "__diff needs ?from=<ref>" },
  "pattern-required": { kind: "bad-request", meaning: "__schedules/run needs ?pattern=<pattern>" },
  "schedule-not-found": { kind: "not-found", meaning: "the version has no schedule with this pattern" },
  "address-invalid": { kind: "bad-request", meaning: "not an object address (id or id@ref)" },
  "internal-error": { kind: "internal", meaning: "an unexpected error; the log holds its requestId" },
  // Authentication and scopes
  "auth-not-configured": { kind: "unavailable", meaning: "the platform has neither JWT_SECRET nor JWKS_URL" },
  "keys-unavailable": { kind: "unavailable", meaning: "the JWKS signing keys could not be fetched" },
  "token-invalid": { kind: "unauthenticated", meaning: "no token, or one that does not verify" },
  "scope-denied": { kind: "forbidden", meaning: "the token's scope does not cover this object" },
  "scope-insufficient": { kind: "forbidden", meaning: "the token's scope does not cover the mapping's target" },
  "supervisor-only": { kind: "unauthenticated", meaning: "only the local supervisor may report quarantines" },
  // Objects, refs and versions
  "object-not-found": { kind: "not-found", meaning: "no object has this id (it never published, or was deleted)" },
  "object-removed": { kind: "gone", meaning: "the object left this ref (a commit removed it, or it was deleted during the call)" },
  "ref-invalid": { kind: "bad-request", meaning: "not a ref: latest, v1.2.3, ^1, a hash prefix, pr-<n> or a branch" },
  "ref-not-found": { kind: "not-found", meaning: "the object exists but nothing matches the ref" },
  "version-retired": { kind: "gone", meaning: "its owner retired this version (objects retire): call latest, or a newer version" },
  "version-in-use": { kind: "conflict", meaning: "retire of a version called in the checked window; look at __usage, or retire with force" },
  "version-serving": { kind: "conflict", meaning: "retire of a version a moving ref (latest, a branch, a preview) serves" },
  "retire-body-invalid": { kind: "bad-request", meaning: 'a retire body is {"ref": "<version or hash>", "days"?, "force"?, "restore"?}' },
  "not-retired": { kind: "not-found", meaning: "restore of a version that is not retired" },
  "version-pin-invalid": { kind: "bad-request", meaning: "the Objects-Version header names no single version: v1.2.3 or a hash prefix" },
  "version-pin-not-found": { kind: "not-found", meaning: "the object has no version the Objects-Version header names" },
  "environment-gone": { kind: "gone", meaning: "a hash published only to branches or previews that were deleted (it never runs on production's state)" },
  "version-unreleased": { kind: "forbidden", meaning: "a version that never reached production was sent to run on production's state (refused by the object itself)" },
  "version-pin-elsewhere": { kind: "conflict", meaning: "the Objects-Version header names a version never published to the environment the URL serves" },
  "ref-ambiguous": { kind: "conflict", meaning: "a hash prefix matches several snapshots (candidates listed)" },
  "ref-moved": { kind: "conflict", meaning: "a ref moved while this publish read it", retryable: true },
  "ref-not-writable": { kind: "bad-request", meaning: "PUT writes the object itself; a version is published with ?version=" },
  "version-immutable": { kind: "conflict", meaning: "that version is published with other content" },
  "snapshot-not-found": { kind: "not-found", meaning: "a content hash that is not stored" },
  "definition-invalid": { kind: "invalid", meaning: "the definition has problems, each located in errors[]" },
  "not-quarantined": { kind: "not-found", meaning: "release of a version that is not quarantined" },
  "quarantined": { kind: "unavailable", meaning: "the version froze or crashed the local runtime; republish or release it" },
  "refs-unavailable": { kind: "unavailable", meaning: "the ref store did not answer" },
  "blobs-unavailable": { kind: "unavailable", meaning: "the snapshot store did not answer" },
  "report-invalid": { kind: "bad-request", meaning: "a supervisor report is {quarantines: [...]}" },
  // Calls
  "method-not-found": { kind: "not-found", meaning: "the object has no such method" },
  "method-failed": { kind: "method-failed", meaning: "the method threw; the message is its own" },
  "non-serializable-result": { kind: "method-failed", meaning: "the method returned something JSON cannot carry" },
  "result-too-large": { kind: "too-large", meaning: "the result's JSON is over the limit" },
  "cpu-limit": { kind: "timeout", meaning: "the call used up its CPU budget and was stopped" },
  "call-timeout": { kind: "timeout", meaning: "the call ran longer than the wall-clock limit" },
  "sandbox-failed": { kind: "method-failed", meaning: "the sandbox ended without a reply (hung, crashed, out of memory, or an unknown reply)" },
  "storage-quota": { kind: "insufficient-storage", meaning: "the object has used up config.limits.storageBytes" },
  "rate-limited": { kind: "rate-limited", meaning: "the object's rate limit is reached; retry after Retry-After" },
  "rate-limited-caller": { kind: "rate-limited", meaning: "this caller's rate limit on the object is reached" },
  "page-not-found": { kind: "not-found", meaning: "the object has no such app page" },
  "host-not-found": { kind: "not-found", meaning: "the Host is not mapped to any object" },
  "tool-not-found": { kind: "not-found", meaning: "the object has no such MCP tool" },
  "tool-arguments-invalid": { kind: "bad-request", meaning: "a tool call names an argument the method does not take, or leaves out a required one" },
  "agent-not-found": { kind: "not-found", meaning: "the object defines no agent" },
  "ai-unavailable": { kind: "unavailable", meaning: "the model behind $.ai did not answer" },
  "service-unavailable": { kind: "unavailable", meaning: "the hub has no such service configured" },
  ...Object.fromEntries(QUOTA_CAPABILITIES.map((capability) => [`quota-${capability}`, { kind: "rate-limited", meaning: `one call used $.${capability} more often than its quota` }])) as Record<`quota-${QuotaCapability}`, ErrorCodeSpec>,
  // App sign-in
  "session-required": { kind: "unauthenticated", meaning: "app pages need a bearer token or a session" },
  "sign-in-not-configured": { kind: "not-found", meaning: "the object has no sign-in (config.auth)" },
  "session-secret-missing": { kind: "unavailable", meaning: "sign-in needs SESSION_SECRET on this platform" },
  "provider-not-found": { kind: "not-found", meaning: "the object has no sign-in provider of that name" },
  "sign-in-expired": { kind: "bad-request", meaning: "no sign-in in progress (or it took over 10 minutes)" },
  "sign-in-state": { kind: "bad-request", meaning: "the provider's answer does not match the sign-in in progress" },
  "sign-in-denied": { kind: "unauthenticated", meaning: "the identity provider refused the sign-in" },
  "sign-in-failed": { kind: "unauthenticated", meaning: "the identity provider did not return the user" },
  "sign-in-unavailable": { kind: "unavailable", meaning: "the identity provider could not be discovered" },
  // Hostnames
  "hostname-invalid": { kind: "bad-request", meaning: "not a hostname" },
  "hostname-not-found": { kind: "not-found", meaning: "the hostname is not mapped" },
  "hostname-configured": { kind: "conflict", meaning: "the mapping is fixed by the platform's HOSTNAMES" },
  "hostname-target-invalid": { kind: "invalid", meaning: 'a mapping is {"target": "<id>[@<ref>]"}' },
  // Previews
  "preview-address-invalid": { kind: "bad-request", meaning: "not a preview address (<id>@pr-<n> or <id>@preview-<topic>)" },
  "preview-not-found": { kind: "not-found", meaning: "no such preview" },
  "preview-fork-refused": { kind: "conflict", meaning: "production's state could not be forked into the preview (too large, or preview.redact failed)" },
  "preview-body-invalid": { kind: "bad-request", meaning: 'a share body is {"ttl": "1h"}, an expiry body {"now": "<ISO time>"}' },
  "preview-protected": { kind: "unauthenticated", meaning: "the preview answers only a token covering the object, or its share link" },
  // Rollouts
  "rollout-not-active": { kind: "conflict", meaning: "no rollout of this object is running (the last one ended)" },
  "rollout-body-invalid": { kind: "bad-request", meaning: 'a rollout command body is empty or {"reason": "…"}' },
  "rollout-moved": { kind: "conflict", meaning: "the rollout changed while a step was analysed; the next analysis reads it again", retryable: true },
  // The git remote
  "dumb-http-unsupported": { kind: "bad-request", meaning: "only git's smart HTTP protocol is served" },
  "git-request-malformed": { kind: "bad-request", meaning: "the git request does not follow the pack protocol" },
  "push-too-large": { kind: "too-large", meaning: "the push carries more bytes than the cap" },
  "not-a-commit": { kind: "bad-request", meaning: "a pushed ref points at something other than a commit" },
  "tree-too-large": { kind: "too-large", meaning: "the tree nests or counts past the limits" },
  "not-our-ref": { kind: "bad-request", meaning: "a fetch wants an object this repository does not have" },
  // Connected repositories, webhooks, GitHub
  "repo-not-found": { kind: "not-found", meaning: "the repository is not connected" },
  "connection-invalid": { kind: "invalid", meaning: "the connection is not valid (errors[] says where)" },
  "remote-not-allowed": { kind: "invalid", meaning: "objects.do fetches git remotes over https on public hosts only" },
  "api-not-allowed": { kind: "invalid", meaning: "the GitHub API URL must be https on a public host" },
  "outbound-not-allowed": { kind: "invalid", meaning: "an outbound adapter URL must be https on a public host" },
  "webhook-secret-missing": { kind: "unauthenticated", meaning: "no webhook secret is configured for this endpoint (fail closed)" },
  "signature-missing": { kind: "unauthenticated", meaning: "X-Hub-Signature-256 is required" },
  "signature-invalid": { kind: "unauthenticated", meaning: "the signature is malformed or does not match the body" },
  "payload-invalid": { kind: "bad-request", meaning: "the payload is not what GitHub sends for that event" },
  "git-ref-not-found": { kind: "not-found", meaning: "the git remote has no such ref" },
  "git-remote-head-missing": { kind: "bad-request", meaning: "the git remote's HEAD names a branch that does not exist" },
  "git-remote-refused": { kind: "bad-request", meaning: "the git remote refused the fetch" },
  "git-remote-timeout": { kind: "unavailable", meaning: "the git remote did not answer in time" },
  "git-remote-unavailable": { kind: "unavailable", meaning: "the git remote did not answer" },
  "github-refused": { kind: "bad-request", meaning: "GitHub refused a request as malformed" },
  "github-forbidden": { kind: "forbidden", meaning: "GitHub refused the credentials (401/403)" },
  "github-timeout": { kind: "unavailable", meaning: "GitHub did not answer in time" },
  "github-unavailable": { kind: "unavailable", meaning: "GitHub did not answer" },
  "report-not-found": { kind: "not-found", meaning: "no report of that commit" },
  "sha-invalid": { kind: "bad-request", meaning: "a report is named by a commit's full 40-character sha" },
} as const satisfies Record<string, ErrorCodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_CODES, code);
