/**
 * Events and commands through their io-ts codecs, and events through the store boundary (DESIGN §3):
 * every event round-trips; a stored event that cannot be read names its stream, revision, type and the
 * io-ts path of the faulty field; unknown types and newer schema versions are refused explicitly; older
 * schema versions are upcast.
 */
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { describe, expect } from 'vitest';
import {
  BusinessId,
  ClientId,
  CountryCode,
  NonNegativeInt,
  createInMemoryEventStore,
  type EventToAppend,
  type RecordedEvent,
  type Upcaster,
} from '@message-center/core';
import {
  BusinessCommand,
  ConversationCommand,
  DomainEvent,
  EVENT_SCHEMA_VERSIONS,
  RecordClient,
  encodeEvent,
  isDomainEventType,
  makeEventDecoder,
} from '@message-center/core/internals';
import { conversationCommandArb, domainEventArb, mobileArb, timestampArb } from '@message-center/testing';

const decodeAll = makeEventDecoder(DomainEvent);

const STREAM = 'mc-conversation-b1-c1';
const EVENT_ID = '00000000-0000-4000-8000-000000000001';

/** What a JSON store hands back for an appended event: only JSON survives. */
const Envelope = t.type({ id: t.string, type: t.string, data: t.unknown, metadata: t.unknown });

const throughJson = (toAppend: EventToAppend, revision: bigint, streamId = STREAM): RecordedEvent => {
  const parsed: unknown = JSON.parse(JSON.stringify(toAppend));
  const envelope = Envelope.decode(parsed);
  if (E.isLeft(envelope)) throw new Error('the encoded event is not an envelope after JSON');
  return { ...envelope.right, streamId, revision, position: { commit: revision, prepare: revision }, created: '2026-03-01T09:00:00.000Z' };
};

/** A stored event as the store would have it, with data and metadata chosen by the test. */
const recordedWith = (type: string, data: unknown, metadata: unknown, revision: bigint, streamId = STREAM): RecordedEvent => ({
  id: EVENT_ID,
  streamId,
  revision,
  position: { commit: revision, prepare: revision },
  type,
  data,
  metadata,
  created: '2026-03-01T09:00:00.000Z',
});

const jsonCopy = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

const fieldsOf = (data: unknown): ReadonlyArray<readonly [string, unknown]> =>
  typeof data === 'object' && data !== null && !Array.isArray(data) ? Object.entries(data) : [];

/**
 * A value of the wrong JSON type for a field that holds `value`: a number for any string-based field
 * (plain, branded, literal, keyof), `true` for a null (every nullable field is string-, number- or
 * id-typed), and a string for numbers, booleans, objects and arrays.
 */
const wrongTypeFor = (value: unknown): unknown => (typeof value === 'string' ? 42 : value === null ? true : 'not-the-right-type');

const revisionArb = fc.bigInt({ min: 0n, max: 1_000_000n });

describe('events through their codec', () => {
  test.prop([domainEventArb])('Events: every event round-trips through DomainEvent (decode ∘ encode = identity)', (event) => {
    expect(DomainEvent.decode(DomainEvent.encode(event))).toEqual(E.right(event));
  });

  test.prop([domainEventArb])('Events (issue 14): `is` agrees with `decode`, which returns its input unchanged, so a reader may check with `is`', (event) => {
    const stored = jsonCopy(event);
    const decoded = DomainEvent.decode(stored);
    expect(DomainEvent.is(stored)).toBe(E.isRight(decoded));
    expect(E.isRight(decoded) ? decoded.right : null).toBe(stored);
  });

  test.prop([domainEventArb, revisionArb])(
    'Events: every event round-trips through the store boundary (encodeEvent → JSON → RecordedEvent → makeEventDecoder)',
    (event, revision) => {
      const toAppend = encodeEvent(event, EVENT_ID, { correlationId: 'corr-1', causationId: 'cause-1' });
      expect(toAppend.type).toBe(event.type);
      expect(toAppend.metadata.schemaVersion).toBe(EVENT_SCHEMA_VERSIONS[event.type]);
      expect(decodeAll(throughJson(toAppend, revision))).toEqual(E.right(event));
    },
  );

  test.prop([fc.array(domainEventArb, { minLength: 1, maxLength: 8 })], { numRuns: 50 })(
    'Events: every event round-trips through the in-memory store (append → readStream → makeEventDecoder)',
    async (events) => {
      const store = createInMemoryEventStore();
      const toAppend = events.map((e, i) => encodeEvent(e, `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`));
      const appended = await store.appendToStream(STREAM, toAppend, { expectedRevision: 'no-stream' })();
      expect(E.isRight(appended)).toBe(true);
      const read = await store.readStream(STREAM)();
      if (E.isLeft(read)) throw new Error(read.left.message);
      expect(read.right.map(decodeAll)).toEqual(events.map((e) => E.right(e)));
    },
  );
});

describe('stored events that cannot be read', () => {
  // Only events with at least one data field can be corrupted field-wise (all of them have `at`).
  const corruptionArb = domainEventArb.chain((event) => {
    const fields = fieldsOf(jsonCopy(event.data));
    return fc.record({ event: fc.constant(event), field: fc.constantFrom(...fields.map(([k]) => k)), revision: revisionArb, streamId: fc.constantFrom(STREAM, 'mc-business-b1', 'mc-client-b1-c9') });
  });

  test.prop([corruptionArb])(
    'Events: a stored field of the wrong type gives corrupt-event naming stream, revision, type and the io-ts path',
    ({ event, field, revision, streamId }) => {
      const data = Object.fromEntries(fieldsOf(jsonCopy(event.data)).map(([k, v]) => [k, k === field ? wrongTypeFor(v) : v]));
      const result = decodeAll(recordedWith(event.type, data, { schemaVersion: EVENT_SCHEMA_VERSIONS[event.type] }, revision, streamId));
      if (E.isRight(result)) throw new Error(`decoded a corrupt ${event.type} (field ${field})`);
      const error = result.left;
      expect(error.code).toBe('corrupt-event');
      expect(error.streamId).toBe(streamId);
      expect(error.revision).toBe(revision);
      expect(error.type).toBe(event.type);
      expect(error.message).toContain(streamId);
      expect(error.message).toContain(`revision ${revision}`);
      expect(error.message).toContain(event.type);
      expect(error.message).toContain(`data.${field}`);
      if (error.code !== 'corrupt-event') throw new Error('unreachable');
      expect(error.problems.length).toBeGreaterThan(0);
      // Every problem is about the one field that was broken.
      for (const problem of error.problems) expect(problem.startsWith(`data.${field}`)).toBe(true);
    },
  );

  test.prop([domainEventArb, revisionArb])('Events: data that is not an object at all gives corrupt-event at the data path', (event, revision) => {
    const result = decodeAll(recordedWith(event.type, 'garbage', { schemaVersion: EVENT_SCHEMA_VERSIONS[event.type] }, revision));
    expect(E.isLeft(result) ? [result.left.code, result.left.type, result.left.revision] : 'decoded').toEqual(['corrupt-event', event.type, revision]);
    expect(E.isLeft(result) ? result.left.message : '').toContain('data');
  });

  const unknownTypeArb = fc.oneof(
    fc.string({ minLength: 1, maxLength: 30 }),
    fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'ConversationSnoozed', 'inboundreceived'),
  ).filter((type) => !isDomainEventType(type));

  test.prop([unknownTypeArb, domainEventArb, revisionArb])(
    'Events: an unknown event type gives unknown-event-type (never a silent drop)',
    (type, event, revision) => {
      const result = decodeAll(recordedWith(type, jsonCopy(event.data), { schemaVersion: 1 }, revision));
      expect(E.isLeft(result) ? { code: result.left.code, type: result.left.type, streamId: result.left.streamId, revision: result.left.revision } : 'decoded').toEqual({
        code: 'unknown-event-type',
        type,
        streamId: STREAM,
        revision,
      });
    },
  );

  test.prop([domainEventArb, fc.integer({ min: 1, max: 1000 }), revisionArb])(
    'Events: a schema version above the current one gives unknown-event-type',
    (event, ahead, revision) => {
      const version = EVENT_SCHEMA_VERSIONS[event.type] + ahead;
      const result = decodeAll(recordedWith(event.type, jsonCopy(event.data), { schemaVersion: version }, revision));
      if (E.isRight(result)) throw new Error('decoded an event from the future');
      expect(result.left.code).toBe('unknown-event-type');
      expect(result.left.type).toBe(event.type);
      expect(result.left.message).toContain(`version ${version}`);
      expect(result.left.message).toContain(STREAM);
    },
  );

  test.prop([domainEventArb, revisionArb])('Events: metadata without a schema version reads as version 1', (event, revision) => {
    expect(decodeAll(recordedWith(event.type, jsonCopy(event.data), {}, revision))).toEqual(E.right(event));
  });
});

describe('upcasting older schema versions', () => {
  /** A made-up version 0 of every event: the data wrapped as `{ v0: { payload } }`. */
  const LegacyShape = t.type({ v0: t.type({ payload: t.unknown }) });
  const unwrap: Upcaster['upcast'] = (data) => (LegacyShape.is(data) ? data.v0.payload : data);
  const upcasters: ReadonlyArray<Upcaster> = Object.keys(EVENT_SCHEMA_VERSIONS).map((type) => ({ type, fromVersion: 0, upcast: unwrap }));

  test.prop([domainEventArb, revisionArb])('Events: an upcaster registered for fromVersion 0 is applied to a version-0 event', (event, revision) => {
    const legacy = recordedWith(event.type, { v0: { payload: jsonCopy(event.data) } }, { schemaVersion: 0 }, revision);
    expect(makeEventDecoder(DomainEvent, upcasters)(legacy)).toEqual(E.right(event));
    // Without it the event cannot be read, and the error says why and where.
    const without = decodeAll(legacy);
    if (E.isRight(without)) throw new Error('decoded a version-0 event without an upcaster');
    expect([without.left.code, without.left.streamId, without.left.revision, without.left.type]).toEqual(['corrupt-event', STREAM, revision, event.type]);
    expect(without.left.message).toContain('upcaster');
  });

  // A concrete old shape: ReadStatusModeChanged v0 called its fields `individualReadStatus` and `changedAt`.
  const ReadStatusV0 = t.type({ individualReadStatus: t.boolean, changedAt: t.string });
  const readStatusUpcaster: Upcaster = {
    type: 'ReadStatusModeChanged',
    fromVersion: 0,
    upcast: (data) => (ReadStatusV0.is(data) ? { individual: data.individualReadStatus, at: data.changedAt } : data),
  };

  test.prop([fc.boolean(), timestampArb, revisionArb])(
    'Events: ReadStatusModeChanged v0 ({ individualReadStatus, changedAt }) is upcast to v1 ({ individual, at })',
    (individual, at, revision) => {
      const stored = recordedWith('ReadStatusModeChanged', { individualReadStatus: individual, changedAt: at }, { schemaVersion: 0 }, revision, 'mc-business-b1');
      expect(makeEventDecoder(DomainEvent, [readStatusUpcaster])(stored)).toEqual(E.right({ type: 'ReadStatusModeChanged', data: { individual, at } }));
      // An upcaster of another type or version does not apply.
      const unrelated: ReadonlyArray<Upcaster> = [
        { ...readStatusUpcaster, type: 'PlanChanged' },
        { ...readStatusUpcaster, fromVersion: 1 },
      ];
      expect(E.isLeft(makeEventDecoder(DomainEvent, unrelated)(stored))).toBe(true);
    },
  );
});

describe('commands through their codecs', () => {
  const must = <A>(is: (u: unknown) => u is A, value: unknown): A => {
    if (!is(value)) throw new RangeError(`rejected fixture ${JSON.stringify(value)}`);
    return value;
  };
  const businessIdArb = fc.constantFrom('b1', 'b-2', 'acme:ltd').map((s) => must(BusinessId.is, s));
  const countryArb = fc.constantFrom('US', 'CA', 'AU', 'GB', 'IE', 'FR').map((s) => must(CountryCode.is, s));
  const allotmentArb = fc.record({
    messagesPerPeriod: fc.nat({ max: 1_000_000 }).map((n) => must(NonNegativeInt.is, n)),
    overage: fc.constantFrom('refuse' as const, 'allow' as const),
  });
  const rawNumberArb = fc.oneof(mobileArb(), fc.string({ maxLength: 20 }));

  const businessCommandArb: fc.Arbitrary<BusinessCommand> = fc.oneof(
    fc.record({ businessId: businessIdArb, country: countryArb, number: rawNumberArb, heldByAccount: fc.boolean(), allotment: allotmentArb, individualReadStatus: fc.boolean(), at: timestampArb })
      .map((c): BusinessCommand => ({ type: 'EnableMessageCenter', actor: { kind: 'host', businessId: c.businessId }, ...c })),
    fc.record({ businessId: businessIdArb, number: rawNumberArb, heldByAccount: fc.boolean(), at: timestampArb }).map((c): BusinessCommand => ({ type: 'ChangeNumber', actor: { kind: 'host', businessId: c.businessId }, ...c })),
    fc.record({ businessId: businessIdArb, individual: fc.boolean(), at: timestampArb }).map((c): BusinessCommand => ({ type: 'SetIndividualReadStatus', actor: { kind: 'host', businessId: c.businessId }, ...c })),
    fc.record({ businessId: businessIdArb, allotment: allotmentArb, at: timestampArb }).map((c): BusinessCommand => ({ type: 'ChangePlan', actor: { kind: 'host', businessId: c.businessId }, ...c })),
  );

  const text = fc.string({ unit: 'grapheme', maxLength: 30 });
  const recordClientArb: fc.Arbitrary<RecordClient> = fc.record({
    type: fc.constant('RecordClient' as const),
    businessId: businessIdArb,
    actor: businessIdArb.map((businessId) => ({ kind: 'host' as const, businessId })),
    clientId: fc.constantFrom('c1', 'client-42', 'x@y').map((s) => must(ClientId.is, s)),
    uid: text,
    name: text,
    email: fc.option(fc.emailAddress(), { nil: null }),
    cellPhone: fc.option(fc.oneof(mobileArb(), text), { nil: null }),
    clientType: text,
    groups: fc.array(text, { maxLength: 3 }),
    homeLocation: fc.option(text, { nil: null }),
    defaultCountry: countryArb,
    at: timestampArb,
  });

  const roundTrips = <A, O>(codec: t.Type<A, O, unknown>, value: A): void => {
    expect(codec.decode(codec.encode(value))).toEqual(E.right(value));
    expect(codec.decode(jsonCopy(codec.encode(value)))).toEqual(E.right(value));
  };

  test.prop([conversationCommandArb])('Commands: every ConversationCommand round-trips through its codec (and JSON)', (command) => {
    roundTrips(ConversationCommand, command);
  });

  test.prop([businessCommandArb])('Commands: every BusinessCommand round-trips through its codec (and JSON)', (command) => {
    roundTrips(BusinessCommand, command);
  });

  test.prop([recordClientArb])('Commands: every RecordClient round-trips through its codec (and JSON)', (command) => {
    roundTrips(RecordClient, command);
  });
});
