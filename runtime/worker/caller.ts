// Who a call is from, for usage evidence: what the caller says in `Objects-Caller` (a name, not a credential: calls are
// public, and verifying a token on every call would cost the hot path), else `anonymous`.
export const CALLER_HEADER = "objects-caller";
const MAX_CALLER = 128;

export function callerOf(request: Request): string {
  const named = request.headers.get(CALLER_HEADER)?.trim();
  return named ? named.slice(0, MAX_CALLER) : "anonymous";
}
