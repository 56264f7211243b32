import * as E from 'fp-ts/lib/Either.js';
import type { FormParams } from './signature.js';

/**
 * Reading webhook parameters one by one while collecting every problem, for one clear 400 message.
 * Problems name the parameter and never quote its value: a 400 answer and the log line it becomes must
 * not carry a message body, a phone number or anything secret.
 */

/** The value, or every problem found. */
export type Checked<A> = E.Either<ReadonlyArray<string>, A>;

export interface FieldReader {
  /** Every parameter name, once. */
  readonly names: ReadonlyArray<string>;
  /** The problems found so far. */
  readonly problems: ReadonlyArray<string>;
  readonly refuse: (problem: string) => null;
  /** The value of a parameter that may appear at most once; null when absent (or repeated, a problem). */
  readonly optional: (name: string) => string | null;
  /** A parameter that must be present, possibly empty (Twilio sends `Body=` for a media-only message). */
  readonly present: (name: string) => string | null;
  /** A present, non-empty parameter matching `pattern`; else null and "`name` is missing" or "`name` is not `what`". */
  readonly required: (name: string, pattern: RegExp, what: string) => string | null;
  /** Like `required` when the parameter is there; null without a problem when it is not. */
  readonly ifPresent: (name: string, pattern: RegExp, what: string) => string | null;
}

export const fieldReader = (params: FormParams): FieldReader => {
  const fields = new Map<string, Array<string>>();
  for (const [name, value] of params) {
    const values = fields.get(name);
    if (values === undefined) fields.set(name, [value]);
    else values.push(value);
  }
  const problems: Array<string> = [];
  const refuse = (problem: string): null => {
    problems.push(problem);
    return null;
  };
  const optional = (name: string): string | null => {
    const values = fields.get(name) ?? [];
    return values.length > 1 ? refuse(`${name} appears ${values.length} times`) : (values[0] ?? null);
  };
  const repeated = (name: string): boolean => (fields.get(name)?.length ?? 0) > 1;
  const check = (name: string, value: string, pattern: RegExp, what: string): string | null =>
    pattern.test(value) ? value : refuse(`${name} is not ${what}`);
  return {
    names: [...fields.keys()],
    problems,
    refuse,
    optional,
    present: (name) => {
      const value = optional(name);
      return value === null && !repeated(name) ? refuse(`${name} is missing`) : value;
    },
    required: (name, pattern, what) => {
      const value = optional(name);
      if (value === null || value === '') return repeated(name) ? null : refuse(`${name} is missing`);
      return check(name, value, pattern, what);
    },
    ifPresent: (name, pattern, what) => {
      const value = optional(name);
      return value === null ? null : check(name, value, pattern, what);
    },
  };
};
