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
