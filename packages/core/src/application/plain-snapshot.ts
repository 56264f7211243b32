/**
 * A caller's input copied as plain data before it is decoded, so nothing the caller holds (a getter, a
 * proxy, an object changed later) can change or throw once it has been checked. Each own enumerable field
 * is read exactly once, an object met along several paths copied once; arrays and plain objects become fresh
 * ones, primitives are kept as they are, and a function, a symbol or a cycle is refused. Written out rather than `structuredClone` (still used for any other
 * object), which serialises and deserialises the value: ~1.6 µs of a send's input against ~0.2 µs (issue 14).
 */

/** Deeper than any input of the facade by far: a deeper value (a cycle) is refused rather than followed. */
const MAX_DEPTH = 32;
/** Longer than any input's array by far (they hold 50 at most): refused unread, as a sparse array can claim 2³² − 1. */
const MAX_ITEMS = 100_000;

/** Thrown when a value cannot be copied as plain data; the facade turns it into `invalid-input`. */
export class NotPlainData extends Error {
  override readonly name = 'NotPlainData';
}

// Narrowed without `any`: `Array.isArray` would make the array `any[]`.
const isArray = (u: unknown): u is ReadonlyArray<unknown> => Array.isArray(u);
const isObject = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === 'object' && u !== null;
const isPlain = (u: object): boolean => {
  const prototype: unknown = Object.getPrototypeOf(u);
  return prototype === Object.prototype || prototype === null;
};

/** What `copy` has copied: a shared object is copied once and shared in the copy (`structuredClone` did the same). */
type Copied = Map<object, unknown>;

/** Marks an object whose copy is under way: met again below itself, it is a cycle. */
const IN_PROGRESS: unique symbol = Symbol('in progress');

const copy = (value: unknown, depth: number, copied: Copied): unknown => {
  if (!isObject(value)) {
    if (typeof value === 'function' || typeof value === 'symbol') throw new NotPlainData(`a ${typeof value}`);
    return value;
  }
  // Shared: the same copy, read once (copying each path instead made [x, x] nested 31 deep 2³¹ copies).
  const earlier = copied.get(value);
  if (earlier === IN_PROGRESS) throw new NotPlainData('a cycle');
  if (earlier !== undefined) return earlier;
  if (depth >= MAX_DEPTH) throw new NotPlainData(`nested more than ${MAX_DEPTH} levels`);
  copied.set(value, IN_PROGRESS);
  const result = copyObject(value, depth, copied);
  copied.set(value, result);
  return result;
};

const copyObject = (value: Readonly<Record<string, unknown>>, depth: number, copied: Copied): unknown => {
  if (isArray(value)) {
    const length = value.length;
    if (length > MAX_ITEMS) throw new NotPlainData(`an array of ${length} items`);
    const items: unknown[] = [];
    for (let i = 0; i < length; i += 1) items.push(copy(value[i], depth + 1, copied));
    return items;
  }
  // Anything but a plain object (a class instance, a date, a boxed string, a typed array…) is copied by
  // `structuredClone`, as before: such a value is never a valid input, or is one only by its own fields.
  if (!isPlain(value)) {
    const clone: unknown = structuredClone(value);
    // A class instance clones to a plain object: copied again, its arrays meet the same limits. A date, a map, a
    // boxed value stay what they are (copied again they would clone forever).
    return isObject(clone) && (isArray(clone) || isPlain(clone)) ? copy(clone, depth, new Map()) : clone;
  }
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const field = copy(value[key], depth + 1, copied);
    // A field named `__proto__` stays a field: assigned, it would set the copy's prototype instead.
    if (key === '__proto__') Object.defineProperty(fields, key, { value: field, enumerable: true, writable: true, configurable: true });
    else fields[key] = field;
  }
  return fields;
};

/** The copy of `value`; throws whatever reading it throws, or `NotPlainData`. */
export const plainSnapshot = (value: unknown): unknown => copy(value, 0, new Map());
