/**
 * The first schema change of a stored event (issue 13): InboundReceived v2 carries the MMS's media (V2).
 * Version 1 (no `media`) is upcast at the store boundary by a built-in upcaster that every decoder
 * applies, whatever upcasters the host passes; on version 2 events it does nothing.
 */
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { RecordedEvent, Upcaster } from '@message-center/core';
import {
  BUILT_IN_UPCASTERS,
  ConversationEvent,
  DomainEvent,
  EVENT_SCHEMA_VERSIONS,
  encodeEvent,
  inboundReceivedV1toV2,
  makeEventDecoder,
} from '@message-center/core/internals';
import { conversationEventArb, domainEventArb } from '@message-center/testing';

type Inbound = Extract<DomainEvent, { readonly type: 'InboundReceived' }>;

const STREAM = 'mc-conversation-b1-c1';

const AT_REVISION_7: Omit<RecordedEvent, 'type' | 'data' | 'metadata'> = {
  id: '00000000-0000-4000-8000-000000000001',
  streamId: STREAM,
  revision: 7n,
  position: { commit: 7n, prepare: 7n },
  created: '2026-03-01T09:00:00.000Z',
};
/** A stored event as a store hands it back, with the data and metadata a writer left. */
const stored = (type: string, data: unknown, metadata: unknown, revision = 7n): RecordedEvent => ({ ...AT_REVISION_7, revision, position: { commit: revision, prepare: revision }, type, data, metadata });

const jsonCopy = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

const inboundArb: fc.Arbitrary<Inbound> = conversationEventArb.filter((e): e is Inbound => e.type === 'InboundReceived');

const withoutMedia = ({ media: _media, ...data }: Inbound['data']) => data;
/** The data as release 0.1 wrote it: every field but `media`. */
const asVersion1 = (data: Inbound['data']): unknown => jsonCopy(withoutMedia(data));

/** v1 metadata as release 0.1 wrote it, and metadata written before versions were recorded (read as v1). */
const v1MetadataArb = fc.constantFrom<unknown>({ schemaVersion: 1 }, { schemaVersion: 1, correlationId: 'c-1', causationId: 'c-0' }, {}, null);

describe('InboundReceived v2 (issue 13)', () => {
  it('V2 InboundReceived is at schema version 2 and encodeEvent writes 2 into the metadata', () => {
    expect(EVENT_SCHEMA_VERSIONS.InboundReceived).toBe(2);
    const decoded = ConversationEvent.decode({
      type: 'InboundReceived',
      data: { messageId: 'm1', seq: 1, providerMessageId: 'SM1', from: '+14155552671', to: '+12015550123', body: '', media: [], segments: 1, at: '2026-03-01T09:00:00.000Z' },
    });
    if (E.isLeft(decoded)) return expect.fail('the fixture event does not decode');
    expect(encodeEvent(decoded.right, '00000000-0000-4000-8000-000000000002').metadata.schemaVersion).toBe(2);
  });

  test.prop([inboundArb, v1MetadataArb, fc.bigInt({ min: 0n, max: 1_000_000n })])(
    'V2 upcaster: a v1 InboundReceived (no media; metadata version 1 or none) decodes as the same message with media: []',
    (event, metadata, revision) => {
      const decoded = makeEventDecoder(DomainEvent)(stored('InboundReceived', asVersion1(event.data), metadata, revision));
      expect(decoded).toEqual(E.right({ type: 'InboundReceived', data: { ...event.data, media: [] } }));
    },
  );

  test.prop([domainEventArb])('V2 upcaster: the identity on v2 events (every current event decodes to itself, and upcasting its data changes nothing)', (event) => {
    const data = jsonCopy(event.data);
    expect(makeEventDecoder(DomainEvent)(stored(event.type, data, encodeEvent(event, '00000000-0000-4000-8000-000000000003').metadata))).toEqual(E.right(event));
    if (event.type === 'InboundReceived') expect(inboundReceivedV1toV2.upcast(data)).toEqual(data);
  });

  test.prop([fc.anything()])('V2 upcaster: data that is no object, or already has media, passes unchanged (the codec judges it)', (data) => {
    const upcast = inboundReceivedV1toV2.upcast(data);
    if (typeof data === 'object' && data !== null && !Array.isArray(data) && !Object.hasOwn(data, 'media')) expect(upcast).toEqual({ ...data, media: [] });
    else expect(upcast).toBe(data);
  });

  test.prop([inboundArb])('V2 upcaster: a v1 event with a broken field is still a corrupt-event naming that field, not a silent default', (event) => {
    const broken = jsonCopy({ ...withoutMedia(event.data), body: 42 });
    const decoded = makeEventDecoder(DomainEvent)(stored('InboundReceived', broken, { schemaVersion: 1 }));
    if (E.isRight(decoded)) return expect.fail('decoded a corrupt event');
    expect(decoded.left.code).toBe('corrupt-event');
    expect(decoded.left.message).toContain('body');
  });

  test.prop([inboundArb])('V2 an InboundReceived of a newer version (3) is unknown-event-type, never dropped or guessed', (event) => {
    const decoded = makeEventDecoder(DomainEvent)(stored('InboundReceived', jsonCopy(event.data), { schemaVersion: 3 }));
    if (E.isRight(decoded)) return expect.fail('decoded an event from the future');
    expect(decoded.left.code).toBe('unknown-event-type');
  });
});

describe('built-in and host upcasters', () => {
  /** A host's own older shape: a version 0 wrapped as `{ v0: data }`. */
  const unwrapV0 = (type: string): Upcaster => ({
    type,
    fromVersion: 0,
    upcast: (data) => (typeof data === 'object' && data !== null && 'v0' in data ? data.v0 : data),
  });

  it('Events: the built-in upcasters cover every schema change of the library, one per type and version below the current one', () => {
    const steps = BUILT_IN_UPCASTERS.map((u) => `${u.type}@${u.fromVersion}`).sort();
    const expected = Object.entries(EVENT_SCHEMA_VERSIONS).flatMap(([type, version]) => Array.from({ length: version - 1 }, (_, i) => `${type}@${i + 1}`)).sort();
    expect(steps).toEqual(expected);
  });

  test.prop([inboundArb])('V2 host upcasters are added to the built-in ones: a host v0 → v1 step, then the built-in v1 → v2 step', (event) => {
    const v0 = stored('InboundReceived', { v0: asVersion1(event.data) }, { schemaVersion: 0 });
    expect(makeEventDecoder(DomainEvent, [unwrapV0('InboundReceived')])(v0)).toEqual(E.right({ type: 'InboundReceived', data: { ...event.data, media: [] } }));
  });

  test.prop([inboundArb])('V2 a host upcaster for the step a built-in one covers does not replace it (a log of an earlier release always reads the same)', (event) => {
    const hostile: Upcaster = { type: 'InboundReceived', fromVersion: 1, upcast: () => ({ not: 'an inbound message' }) };
    const v1 = stored('InboundReceived', asVersion1(event.data), { schemaVersion: 1 });
    expect(makeEventDecoder(DomainEvent, [hostile])(v1)).toEqual(E.right({ type: 'InboundReceived', data: { ...event.data, media: [] } }));
  });

  it('V2 the built-in upcaster applies with no host upcasters at all (the default of every decoder)', () => {
    const v1 = stored(
      'InboundReceived',
      { messageId: 'm1', seq: 1, providerMessageId: 'SM1', from: '+14155552671', to: '+12015550123', body: 'hi', segments: 1, at: '2026-03-01T09:00:00.000Z' },
      { schemaVersion: 1 },
    );
    const decoded = makeEventDecoder(ConversationEvent)(v1);
    expect(E.isRight(decoded) && decoded.right.type === 'InboundReceived' ? decoded.right.data.media : null).toEqual([]);
  });
});
