// The management API with the token the user pasted (kept in localStorage); a refused token signs the user out.
import type { Problem } from "../../../schemas/index.ts";

export const TOKEN_KEY = "objects.do.token";
/** The error an API call throws after a 401 has signed the user out: nothing more to show. */
export const SIGNED_OUT = "signed out";

let onSignedOut: (message: string) => void = () => {};
export const whenSignedOut = (handler: (message: string) => void) => void (onSignedOut = handler);

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${localStorage.getItem(TOKEN_KEY)}`, accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const data = (await response.json().catch(() => null)) as (T & Partial<Problem>) | null;
  if (response.status === 401) {
    onSignedOut(`The server refused the token: ${data?.detail ?? "401"}`);
    throw new Error(SIGNED_OUT);
  }
  if (!response.ok) throw new Error(data?.detail ?? `HTTP ${response.status}`);
  return data as T;
}
