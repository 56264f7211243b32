import * as E from 'fp-ts/lib/Either.js';

/** A value that survives `JSON.stringify` → `JSON.parse` unchanged. */
export type JsonValue = null | boolean | number | string | ReadonlyArray<JsonValue> | { readonly [key: string]: JsonValue };

/** Thrown inside the walk only; `copyJson` turns it into a Left. */
class JsonProblem extends Error {}

const isPlainObject = (value: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

const kindOf = (value: unknown): string =>
  typeof value === 'object' && value !== null ? (value.constructor?.name ?? 'object') : typeof value;

/**
 * A deep, frozen copy of `value` as a JSON store would give it back, or the path of the first part that
 * JSON cannot carry faithfully. The embedded store must not accept what a real store would mangle
 * (NaN becomes null, a Date becomes a string, a Map becomes `{}`), or code would pass in tests and fail in
 * production. Two JSON round-trip effects are reproduced instead of refused, because they lose nothing a
 * reader could rely on: object properties whose value is `undefined` are dropped, and `-0` becomes `0`.
 * Freezing lets every reader share the stored object without being able to change it.
 */
export const copyJson = (value: unknown, path = '$'): E.Either<string, JsonValue> => E.map((c: BoundedCopy) => c.value)(copyJsonBounded(value, path));

/** A copy and an upper bound of its UTF-8 JSON size. */
export interface BoundedCopy {
  readonly value: JsonValue;
  /**
   * At least `Buffer.byteLength(JSON.stringify(value))`, found during the copy: a UTF-16 unit takes at most
   * 6 bytes in JSON (`\uXXXX`), a number fewer than 32 characters. An append far below its size limit is then
   * never serialized just to be measured (issue 14).
   */
  readonly maxBytes: number;
}

/** {@link copyJson}, counting an upper bound of the JSON size as it goes. */
export const copyJsonBounded = (value: unknown, path = '$'): E.Either<string, BoundedCopy> => {
  const ancestors = new Set<object>();
  let bound = 0;
  // The keys from the root to the value being copied: the path is written out only for an error (issue 14:
  // building it for every field cost more than the copy).
  const keys: Array<string | number> = [];
  const here = (): string => keys.reduce<string>((at, key) => (typeof key === 'number' ? `${at}[${key}]` : `${at}.${key}`), path);
  const copy = (v: unknown): JsonValue => {
    if (typeof v === 'string') {
      bound += 2 + 6 * v.length;
      return v;
    }
    if (v === null || typeof v === 'boolean') {
      bound += 5;
      return v;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new JsonProblem(`${here()} is ${String(v)}, which JSON cannot represent`);
      bound += 32;
      return v === 0 ? 0 : v;
    }
    if (typeof v !== 'object') throw new JsonProblem(`${here()} is a ${typeof v}, which JSON cannot represent`);
    if (ancestors.has(v)) throw new JsonProblem(`${here()} is a circular reference`);
    ancestors.add(v);
    try {
      if (Array.isArray(v)) {
        const items: Array<JsonValue> = [];
        // The brackets, and a comma per item as it is copied: a getter may lengthen the array during the copy.
        bound += 2;
        for (let i = 0; i < v.length; i += 1) {
          bound += 1;
          const item: unknown = v[i];
          keys.push(i);
          if (item === undefined) throw new JsonProblem(`${here()} is undefined (or a hole), which JSON turns into null`);
          items.push(copy(item));
          keys.pop();
        }
        return Object.freeze(items);
      }
      if (!isPlainObject(v)) throw new JsonProblem(`${here()} is a ${kindOf(v)}, not a plain object`);
      const entries: Array<[string, JsonValue]> = [];
      bound += 2;
      for (const [key, item] of Object.entries(v)) {
        if (item === undefined) continue;
        bound += 4 + 6 * key.length;
        keys.push(key);
        entries.push([key, copy(item)]);
        keys.pop();
      }
      // fromEntries defines own properties, so a `__proto__` key stays data instead of changing the prototype.
      return Object.freeze(Object.fromEntries(entries));
    } finally {
      ancestors.delete(v);
    }
  };
  try {
    if (value === undefined) return E.left(`${path} is undefined`);
    const copied = copy(value);
    return E.right({ value: copied, maxBytes: bound });
  } catch (error: unknown) {
    // Getters that throw and too deeply nested values end up here too.
    return E.left(error instanceof JsonProblem ? error.message : `${path} cannot be read: ${String(error)}`);
  }
};
