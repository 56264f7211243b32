import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { EventToAppend, RecordedEvent } from './ports/event-store.js';
import { EVENT_SCHEMA_VERSIONS, isDomainEventType, type DomainEvent } from '../domain/events.js';

/** Turns the data of `type` at `fromVersion` into its shape at `fromVersion + 1`. */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  readonly upcast: (data: unknown) => unknown;
}

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === 'object' && u !== null && !Array.isArray(u);

/**
 * InboundReceived v1 → v2 (issue 13): a message recorded before MMS media was kept has none. Data that
 * already names its media, or is no object at all, passes unchanged (the codec then judges it).
 */
export const inboundReceivedV1toV2: Upcaster = {
  type: 'InboundReceived',
  fromVersion: 1,
  upcast: (data) => (isRecord(data) && !Object.hasOwn(data, 'media') ? { ...data, media: [] } : data),
};

/**
 * The library's own upcasters, one per schema change of its events (`EVENT_SCHEMA_VERSIONS`). Every
 * decoder applies them, whatever the host passes: a log written by an earlier release always reads. A
 * host's upcasters are added to them (e.g. for events the host wrote itself in an older shape); for a
 * step a built-in upcaster covers, the built-in one is applied.
 */
export const BUILT_IN_UPCASTERS: ReadonlyArray<Upcaster> = [inboundReceivedV1toV2];

/**
 * Why a stored event could not be read. Both name the stream, the revision and the type, so an operator
 * can find the event. An unknown type (written by a newer version of this library) is never dropped
 * silently: aggregates refuse to decide on a history they cannot read; read models follow the
 * `unknownEvents` policy of the facade.
 */
export type EventDecodeError =
  | {
      readonly code: 'corrupt-event';
      readonly message: string;
      readonly streamId: string;
      readonly revision: bigint;
      readonly type: string;
      readonly problems: ReadonlyArray<string>;
    }
  | {
      readonly code: 'unknown-event-type';
      readonly message: string;
      readonly streamId: string;
      readonly revision: bigint;
      readonly type: string;
      readonly schemaVersion: number | null;
    };

/** `path.to.field: expected Type, got value` for each io-ts error. */
export const describeIoTsErrors = (errors: t.Errors): ReadonlyArray<string> =>
  errors.map((e) => {
    // Unions and intersections add their member's index to the path; a reader wants field names.
    const path = e.context
      .filter((c, i) => {
        const parent = e.context[i - 1]?.type;
        return c.key !== '' && !(parent instanceof t.UnionType || parent instanceof t.IntersectionType);
      })
      .map((c) => c.key)
      .join('.');
    const expected = e.context[e.context.length - 1]?.type.name ?? 'unknown';
    const where = path === '' ? '(root)' : path;
    // A codec's own message (e.g. a closed object naming unknown fields) says more than its type name.
    if (e.message !== undefined) return `${where}: ${e.message}`;
    const got = preview(e.value);
    return `${where}: expected ${expected}, got ${got.length > 80 ? `${got.slice(0, 77)}...` : got}`;
  });

/** Past this many values a refused value is not shown: one object shared along 2³¹ paths would print for ever. */
const PREVIEW_VALUES = 1_000;

/** A refused value as JSON, when it is small enough to show. */
const preview = (value: unknown): string => {
  let values = 0;
  try {
    return (
      JSON.stringify(value, (_key, v: unknown) => {
        values += 1;
        if (values > PREVIEW_VALUES) throw new RangeError('too large to show');
        return v;
      }) ?? String(value)
    );
  } catch {
    if (values > PREVIEW_VALUES) return '(a value too large to show)';
    try {
      return String(value);
    } catch {
      // An object without a prototype holding a bigint: neither JSON nor a string.
      return `(an ${typeof value})`;
    }
  }
};

const MetadataVersion = t.type({ schemaVersion: t.number });

export interface EncodeOptions {
  readonly correlationId?: string;
  readonly causationId?: string;
}

export const encodeEvent = (event: DomainEvent, id: string, options: EncodeOptions = {}): EventToAppend => ({
  id,
  type: event.type,
  data: event.data,
  metadata: {
    schemaVersion: EVENT_SCHEMA_VERSIONS[event.type],
    ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
    ...(options.causationId === undefined ? {} : { causationId: options.causationId }),
  },
});

/** The schema version a stored event's metadata names (absent or not a number: null, read as version 1). */
const storedVersion = (recorded: RecordedEvent): number | null => (MetadataVersion.is(recorded.metadata) ? recorded.metadata.schemaVersion : null);

/** A stored event of a type and schema version this version of the library reads (its data still to be checked). */
export const isKnownEvent = (recorded: RecordedEvent): recorded is RecordedEvent & { readonly type: DomainEvent['type'] } => {
  if (!isDomainEventType(recorded.type)) return false;
  const version = storedVersion(recorded);
  return version === null || version <= EVENT_SCHEMA_VERSIONS[recorded.type];
};

/** Where an event that cannot be read is: built only for an error, as reading builds none otherwise. */
const whereIs = (recorded: RecordedEvent): string => `stream ${recorded.streamId} revision ${recorded.revision} (${recorded.type})`;

/**
 * A decoder for one aggregate's events (or all of them): upcasts older schema versions, step by step
 * (the built-in upcasters, then the host's `upcasters`), then checks the data against the event's io-ts
 * codec.
 */
export const makeEventDecoder = <A extends DomainEvent>(codec: t.Decoder<unknown, A> & { readonly is: t.Is<A> }, hostUpcasters: ReadonlyArray<Upcaster> = []) => {
  const upcasters = [...BUILT_IN_UPCASTERS, ...hostUpcasters];
  return (recorded: RecordedEvent): E.Either<EventDecodeError, A> => {
    const version = storedVersion(recorded);
    if (!isKnownEvent(recorded))
      return E.left({
        code: 'unknown-event-type',
        message: `${whereIs(recorded)}: event type ${recorded.type} version ${version ?? '?'} is unknown to this version of the Message Center`,
        streamId: recorded.streamId,
        revision: recorded.revision,
        type: recorded.type,
        schemaVersion: version,
      });
    let data = recorded.data;
    // Events written before schema versions were recorded count as version 1.
    for (let v = version ?? 1; v < EVENT_SCHEMA_VERSIONS[recorded.type]; v += 1) {
      const upcaster = upcasters.find((u) => u.type === recorded.type && u.fromVersion === v);
      if (upcaster === undefined)
        return E.left({
          code: 'corrupt-event',
          message: `${whereIs(recorded)}: no upcaster from schema version ${v}`,
          streamId: recorded.streamId,
          revision: recorded.revision,
          type: recorded.type,
          problems: [`schemaVersion ${v}: no upcaster`],
        });
      data = upcaster.upcast(data);
    }
    const candidate: unknown = { type: recorded.type, data };
    // Issue 14: on data as the store gave it (JSON: no holes in arrays, no getters), `is` checks exactly what
    // `decode` does for these codecs (none transforms its input) without building io-ts's error contexts,
    // which cost more than the checks; only a failure is decoded again, for its errors. Upcast data (a host's
    // upcaster may build anything) is decoded.
    if (data === recorded.data && codec.is(candidate)) return E.right(candidate);
    const decoded = codec.decode(candidate);
    if (E.isRight(decoded)) return decoded;
    const problems = describeIoTsErrors(decoded.left);
    return E.left({
      code: 'corrupt-event',
      message: `${whereIs(recorded)} cannot be decoded: ${problems.slice(0, 3).join('; ')}`,
      streamId: recorded.streamId,
      revision: recorded.revision,
      type: recorded.type,
      problems,
    });
  };
};
