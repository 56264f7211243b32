import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { DomainError } from '../domain/errors.js';
import { MAX_MEDIA_PER_MESSAGE, MAX_MEDIA_TYPE_LENGTH, MAX_MEDIA_URL_LENGTH } from '../domain/values/media.js';
import { Timestamp } from '../domain/values/timestamp.js';

/**
 * The bounds of everything a host passes to the facade (issue 11: a 100 KB home location, a year-9999
 * webhook or a fractional error code must be refused, not stored). Documented in docs/inputs.md.
 */
export const INPUT_LIMITS = {
  /** A phone number as the host or Twilio writes it, with formatting. */
  phoneText: 40,
  name: 200,
  uid: 128,
  /** RFC 5321's longest path. */
  email: 254,
  clientType: 100,
  group: 100,
  groups: 50,
  homeLocation: 200,
  /** Twilio delivers at most 1600 characters per message; a margin for counting differences. */
  inboundBody: 4096,
  /** V2 (issue 13): the media of one inbound MMS (Twilio's limit), each an absolute http(s) URL and a MIME type. */
  media: MAX_MEDIA_PER_MESSAGE,
  mediaUrl: MAX_MEDIA_URL_LENGTH,
  mediaContentType: MAX_MEDIA_TYPE_LENGTH,
  /** Outbound bodies are checked by the V1 rule (1600 characters); this bounds what is read at all. */
  outboundBody: 10_000,
  search: 200,
  filterValues: 50,
  cursor: 512,
  status: 32,
  period: 16,
  automationName: 100,
  permission: 100,
  permissions: 50,
  /** Twilio error codes are five digits at most. */
  errorCode: 99_999,
  /** The earliest instant a host may name (nothing of this library predates it). */
  earliest: '2000-01-01T00:00:00.000Z',
  /** The latest instant a query filter may name. */
  latest: '2100-01-01T00:00:00.000Z',
  /** How far ahead of the facade's clock a provider's timestamp may be (clock skew between hosts). */
  maxClockSkewMs: 5 * 60_000,
} as const;

/** A string of at most `max` UTF-16 units: bounded before anything else looks at it. */
export const boundedString = (name: string, max: number): t.Type<string, string, unknown> =>
  t.refinement(t.string, (s) => s.length <= max, `${name} (at most ${max} characters)`);

/** A whole number in [min, max]. */
export const integerIn = (name: string, min: number, max: number): t.Type<number, number, unknown> =>
  t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= min && n <= max, `${name} (a whole number from ${min} to ${max})`);

/** An array of at most `max` items. */
export const boundedArray = <C extends t.Mixed>(item: C, name: string, max: number): t.Type<ReadonlyArray<t.TypeOf<C>>, ReadonlyArray<t.OutputOf<C>>, unknown> =>
  t.refinement(t.readonlyArray(item), (items) => items.length <= max, `${name} (at most ${max} items)`);

/** An instant in the window this library deals with; a clock-relative bound is checked by the use case. */
export const InputTimestamp: t.Type<Timestamp, string, unknown> = t.refinement(
  Timestamp,
  (at) => at >= INPUT_LIMITS.earliest && at < INPUT_LIMITS.latest,
  `Timestamp (from ${INPUT_LIMITS.earliest.slice(0, 4)} to ${INPUT_LIMITS.latest.slice(0, 4)})`,
);

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === 'object' && u !== null && !Array.isArray(u);
const isList = (u: unknown): u is ReadonlyArray<unknown> => Array.isArray(u);

/** Deeper than any input: past it a value is not taken as dense, and goes through the full validation. */
const DENSE_DEPTH = 16;

/**
 * Whether no array in `u` has a hole: io-ts's array `is` skips holes (`every` does), its validation reads
 * every index, so only a dense value may skip the validation.
 */
const dense = (u: unknown, depth = 0): boolean => {
  if (typeof u !== 'object' || u === null) return true;
  if (depth >= DENSE_DEPTH) return false;
  if (isList(u)) {
    for (let i = 0; i < u.length; i += 1) if (!(i in u) || !dense(u[i], depth + 1)) return false;
    return true;
  }
  return Object.values(u).every((v) => dense(v, depth + 1));
};

/** A closed object's codec, with the validation its shortcut stands for: what the tests hold the shortcut to. */
export class ClosedObjectType<A, O> extends t.Type<A, O, unknown> {
  constructor(
    name: string,
    is: t.Is<A>,
    validate: t.Validate<unknown, A>,
    encode: t.Encode<A, O>,
    /** io-ts's validation of every field, never the shortcut. */
    readonly validateFully: t.Validate<unknown, A>,
  ) {
    super(name, is, validate, encode);
  }
}

/**
 * An object with exactly these fields: required ones, optional ones, and no other. io-ts's `exact` strips
 * unknown fields silently; an input is refused instead, so a misspelt option never passes unnoticed.
 */
// Typed as a plain `t.Type`: `ClosedObjectType` is how the tests reach the full validation, not public API.
export const closedObject = <R extends t.Props, O extends t.Props>(
  name: string,
  required: R,
  optional: O,
): t.Type<t.TypeOf<t.IntersectionC<[t.TypeC<R>, t.PartialC<O>]>>, t.OutputOf<t.IntersectionC<[t.TypeC<R>, t.PartialC<O>]>>, unknown> => {
  const open = t.intersection([t.type(required), t.partial(optional)], name);
  type A = t.TypeOf<typeof open>;
  const known = new Set([...Object.keys(required), ...Object.keys(optional)]);
  const unknownFields = (u: Readonly<Record<string, unknown>>): ReadonlyArray<string> => Object.keys(u).filter((key) => !known.has(key));
  // Closed here too, so that an object nested in another is checked as strictly by `is` as by `validate`.
  const is = (u: unknown): u is A => open.is(u) && isRecord(u) && unknownFields(u).length === 0;
  const closed = (u: unknown, context: t.Context): t.Validation<A> | null => {
    const unknown = isRecord(u) ? unknownFields(u) : [];
    return unknown.length === 0 ? null : t.failure(u, context, `${name}: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 5).join(', ')}`);
  };
  // Through the intersection's own context entry, so error paths read `field`, not `0.field`.
  const validateFully = (u: unknown, context: t.Context): t.Validation<A> => closed(u, context) ?? open.validate(u, t.appendContext(context, '', open, u));
  // A valid input (the usual case) is only checked: io-ts's validation builds an error path for every absent
  // optional field and merges the intersection's two results (a send's input: ~1 µs against ~0.3, issue 14).
  // Every codec of an input decodes a value to itself, so the value checked is the value decoded (a property
  // test holds each to `validateFully`); an invalid one, or one with a hole in an array (which `is` skips), is
  // validated for its error paths.
  const validate = (u: unknown, context: t.Context): t.Validation<A> => closed(u, context) ?? (open.is(u) && dense(u) ? t.success(u) : validateFully(u, context));
  return new ClosedObjectType<A, t.OutputOf<typeof open>>(name, is, validate, open.encode, validateFully);
};

/**
 * A provider's or a host's instant may be at most `maxClockSkewMs` ahead of the facade's clock: a message
 * dated in the future would sit on top of the inbox for ever and count in no current period.
 */
export const notAheadOf = (field: string, at: Timestamp | undefined, now: Timestamp): E.Either<DomainError, Timestamp | undefined> => {
  if (at === undefined || Date.parse(at) - Date.parse(now) <= INPUT_LIMITS.maxClockSkewMs) return E.right(at);
  return E.left({
    code: 'invalid-input',
    message: `${field}: ${at} is more than ${INPUT_LIMITS.maxClockSkewMs / 60_000} minutes ahead of the clock (${now})`,
    problems: [`${field}: ahead of the clock`],
  });
};

/**
 * A union of two closed objects told apart by the literal in `tag` (an actor's `kind`): only the matching
 * member decodes, so an error names that member's fields. io-ts finds such a tag itself only on its own
 * object codecs, not on the closed ones above.
 */
export const taggedUnion = <A1, O1, A2, O2>(
  name: string,
  tag: string,
  first: readonly [string, t.Type<A1, O1, unknown>],
  second: readonly [string, t.Type<A2, O2, unknown>],
): t.Type<A1 | A2, O1 | O2, unknown> => {
  const [firstTag, firstCodec] = first;
  const [secondTag, secondCodec] = second;
  return new t.Type<A1 | A2, O1 | O2, unknown>(
    name,
    (u): u is A1 | A2 => firstCodec.is(u) || secondCodec.is(u),
    (u, context): t.Validation<A1 | A2> => {
      const kind = isRecord(u) ? u[tag] : undefined;
      if (kind === firstTag) return firstCodec.validate(u, context);
      if (kind === secondTag) return secondCodec.validate(u, context);
      return t.failure(u, context, `${name}: ${tag} must be ${firstTag} or ${secondTag}`);
    },
    (a) => (firstCodec.is(a) ? firstCodec.encode(a) : secondCodec.encode(a)),
  );
};
