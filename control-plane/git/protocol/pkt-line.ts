// Git's pkt-line framing and side-band multiplexing (pure): the wire format of both smart HTTP services.
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const FLUSH = encoder.encode("0000");
/** The most data one side-band packet carries with side-band-64k (65520 minus the length and the band byte). */
export const MAX_SIDEBAND_DATA = 65515;

/** Joins byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** One pkt-line: four hex digits of total length, then the payload. */
export function pktLine(payload: string | Uint8Array): Uint8Array {
  const bytes = typeof payload === "string" ? encoder.encode(payload) : payload;
  const length = (bytes.byteLength + 4).toString(16).padStart(4, "0");
  return concat([encoder.encode(length), bytes]);
}

/**
 * The payloads of consecutive pkt-lines from `offset`, up to and past the first flush (`flushed`) or to the end of
 * the bytes; null when a packet is malformed or cut short.
 */
export function readPktLines(bytes: Uint8Array, offset = 0): { lines: string[]; next: number; flushed: boolean } | null {
  const lines: string[] = [];
  let position = offset;
  while (position + 4 <= bytes.byteLength) {
    const length = Number.parseInt(decoder.decode(bytes.subarray(position, position + 4)), 16);
    if (!Number.isInteger(length) || (length > 0 && length < 4) || position + length > bytes.byteLength) return null;
    if (length === 0) return { lines, next: position + 4, flushed: true };
    lines.push(decoder.decode(bytes.subarray(position + 4, position + length)));
    position += length;
  }
  return position === bytes.byteLength ? { lines, next: position, flushed: false } : null;
}

/** Data split into side-band packets of one band (1: data, 2: progress shown as `remote:`, 3: fatal error). */
export function sideband(band: 1 | 2 | 3, data: string | Uint8Array): Uint8Array[] {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const packets: Uint8Array[] = [];
  for (let start = 0; start < bytes.byteLength; start += MAX_SIDEBAND_DATA) {
    const chunk = bytes.subarray(start, start + MAX_SIDEBAND_DATA);
    packets.push(pktLine(concat([Uint8Array.of(band), chunk])));
  }
  return packets;
}
