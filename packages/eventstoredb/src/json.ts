import * as E from 'fp-ts/lib/Either.js';

const isPlainObject = (value: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * `JSON.stringify(value)`, or the path of the first part JSON would not carry faithfully (NaN, a Date,
 * a Map, a bigint, a cycle…). Same rules as the in-memory store's `copyJson`, so that what one store
 * accepts the other does too; `undefined` properties are dropped and `-0` becomes `0`, as JSON does.
 */
export const jsonText = (value: unknown, path: string): E.Either<string, string> => {
  const ancestors = new Set<object>();
  const check = (v: unknown, at: string): string | undefined => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return undefined;
    if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${at} is ${String(v)}, which JSON cannot represent`;
    if (typeof v !== 'object') return `${at} is a ${typeof v}, which JSON cannot represent`;
    if (ancestors.has(v)) return `${at} is a circular reference`;
    ancestors.add(v);
    try {
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i += 1) {
          const item: unknown = v[i];
          if (item === undefined) return `${at}[${i}] is undefined (or a hole), which JSON turns into null`;
          const problem = check(item, `${at}[${i}]`);
          if (problem !== undefined) return problem;
        }
        return undefined;
      }
      if (!isPlainObject(v)) return `${at} is a ${v.constructor?.name ?? 'object'}, not a plain object`;
      for (const [key, item] of Object.entries(v)) {
        if (item === undefined) continue;
        const problem = check(item, `${at}.${key}`);
        if (problem !== undefined) return problem;
      }
      return undefined;
    } finally {
      ancestors.delete(v);
    }
  };
  try {
    if (value === undefined) return E.left(`${path} is undefined`);
    const problem = check(value, path);
    return problem === undefined ? E.right(JSON.stringify(value)) : E.left(problem);
  } catch (error: unknown) {
    // Getters that throw and too deeply nested values end up here.
    return E.left(`${path} cannot be read: ${String(error)}`);
  }
};
