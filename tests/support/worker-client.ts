// What every workers test starts from: a client of the Worker under test, an admin token, unique object ids.
import { exports } from "cloudflare:workers";
import { client } from "./http.ts";
import { signToken } from "./tokens.ts";

export const api = client((url, init) => exports.default.fetch(url, init));

/** A management token whose scope covers every object. */
export const token = await signToken();

/** An object id no other test uses. */
export const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}.do`;
