// The globals the sandbox's own code relies on, captured when the prelude loads (before any definition code runs).

// A definition may replace globals in its own isolate, never what the guards, the deadline and the replies rely on.
export const now = Date.now;
export const setTimer = setTimeout.bind(globalThis);
export const clearTimer = clearTimeout.bind(globalThis);
export const stringify = JSON.stringify;
export const parse = JSON.parse;
export const apply = Reflect.apply;
export const freeze = Object.freeze;
export const isFrozen = Object.isFrozen;
export const keysOf = Object.keys;
export const entriesOf = Object.entries;
export const createObject = Object.create;
export const isArray = Array.isArray;
export const NativePromise = Promise;
export const NativeProxy = Proxy;
export const promiseThen = Promise.prototype.then;
export const RESOLVED = Promise.resolve();
export const StringOf = String;
export const NativeError = Error;
export const NativeRangeError = RangeError;
export const NativeTypeError = TypeError;
export const NativeUint8Array = Uint8Array;
export const NativeArrayBuffer = ArrayBuffer;
export const fromEntries = Object.fromEntries;
export const hasOwn = Object.hasOwn;
export const randomUUID = crypto.randomUUID.bind(crypto);
const encoder = new TextEncoder();
const decoder = new TextDecoder();
export const encodeText = (text: string) => encoder.encode(text);
export const decodeText = (bytes: Uint8Array) => decoder.decode(bytes);
export const NativeRegExp = RegExp;
