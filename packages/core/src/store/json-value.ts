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
export const copyJson = (value: unknown, path = '$'): E.Either<string, JsonValue> => {
  const ancestors = new Set<object>();
  // The keys from the root to the value being copied: the path is written out only for an error (issue 14:
  // building it for every field cost more than the copy).
  const keys: Array<string | number> = [];
  const here = (): string => keys.reduce<string>((at, key) => (typeof key === 'number' ? `${at}[${key}]` : `${at}.${key}`), path);
  const copy = (v: unknown): JsonValue => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new JsonProblem(`${here()} is ${String(v)}, which JSON cannot represent`);
      return v === 0 ? 0 : v;
    }
    if (typeof v !== 'object') throw new JsonProblem(`${here()} is a ${typeof v}, which JSON cannot represent`);
    if (ancestors.has(v)) throw new JsonProblem(`${here()} is a circular reference`);
    ancestors.add(v);
    try {
      if (Array.isArray(v)) {
        const items: Array<JsonValue> = [];
        for (let i = 0; i < v.length; i += 1) {
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
      for (const [key, item] of Object.entries(v)) {
        if (item === undefined) continue;
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
    return E.right(copy(value));
  } catch (error: unknown) {
    // Getters that throw and too deeply nested values end up here too.
    return E.left(error instanceof JsonProblem ? error.message : `${path} cannot be read: ${String(error)}`);
  }
};
