// Reads a request or response body as text, refusing (413) past a byte cap without buffering more than cap+1 bytes.
import { ObjectsError } from "./errors.ts";

const tooLarge = (what: string, maxBytes: number) =>
  new ObjectsError("body-too-large", `${what} is larger than ${maxBytes} bytes`);

/** The body as UTF-8 text; a declared `content-length` over the cap fails before reading anything. */
export async function readLimitedText(body: Request | Response, maxBytes: number, what: string): Promise<string> {
  const length = body.headers.get("content-length");
  const declared = length === null ? Number.NaN : Number(length);
  // The hot path (RPC bodies): HTTP framing holds the body to its declared length, so the runtime decodes it in one go.
  if (declared >= 0 && declared <= maxBytes && body.body) {
    const text = await body.text();
    if (text.length > maxBytes) throw tooLarge(what, maxBytes);
    return text;
  }
  return new TextDecoder().decode(await readLimitedBytes(body, maxBytes, what));
}

/** The body's bytes, under the same cap as `readLimitedText`. */
export async function readLimitedBytes(body: Request | Response, maxBytes: number, what: string): Promise<Uint8Array> {
  const length = body.headers.get("content-length");
  const declared = length === null ? Number.NaN : Number(length);
  if (declared > maxBytes) throw tooLarge(what, maxBytes);
  if (!body.body) return new Uint8Array();
  if (declared >= 0) {
    // HTTP framing holds a body to its declared length: read it in one go (and check, for bodies built in-process).
    const bytes = new Uint8Array(await body.arrayBuffer());
    if (bytes.byteLength > maxBytes) throw tooLarge(what, maxBytes);
    return bytes;
  }
  const reader = body.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw tooLarge(what, maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
