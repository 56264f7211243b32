import { randomUUID } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { DomainEvent, encodeEvent, makeEventDecoder } from '@message-center/core/internals';
import { domainEventArb } from '@message-center/testing';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect } from 'vitest';
import { events, right } from './support/helpers.js';
import { describeUrl, loopbackTarget, describeRealServer, realServerTarget, useAdapterTarget, type AdapterTarget } from './support/targets.js';

// Domain events through the adapter and back, over gRPC: what the codecs write as JSON, EventStoreDB
// stores and returns, and the aggregates and read models decode to the very same events. Streams start
// with `esdb-test-` so that a shared server's read models never see them.

const decodeAll = makeEventDecoder(DomainEvent);

const describeRoundTrip = (name: string, create: () => Promise<AdapterTarget>): void => {
  describe(`ESDB round trip (${name})`, () => {
    const theStore = useAdapterTarget(create);

    // numRuns is kept low: each run is several gRPC calls.
    test.prop([fc.array(domainEventArb, { minLength: 1, maxLength: 8 }), fc.boolean()], { numRuns: 25 })(
      'ESDB round trip: any sequence of domain events, encoded, appended and read back (readStream and readAll), decodes to the same events',
      async (domainEvents, withCorrelation) => {
        const store = theStore();
        const streamId = `esdb-test-roundtrip-${randomUUID()}`;
        const options = withCorrelation ? { correlationId: randomUUID(), causationId: randomUUID() } : {};
        const toAppend = domainEvents.map((event) => encodeEvent(event, randomUUID(), options));
        // A checkpoint just before the batch, so that readAll reads only what this run wrote.
        const checkpoint = (await right(store.appendToStream(`esdb-test-marker-${randomUUID()}`, events(1), { expectedRevision: 'no-stream' }))).position;
        const appended = await right(store.appendToStream(streamId, toAppend, { expectedRevision: 'no-stream' }));
        expect(appended.nextExpectedRevision).toBe(BigInt(domainEvents.length - 1));

        const expected = domainEvents.map((event) => E.right(event));
        const read = await right(store.readStream(streamId));
        expect(read.map(decodeAll)).toEqual(expected);
        expect(read.map((r) => [r.id, r.type, r.revision, r.metadata])).toEqual(toAppend.map((e, i) => [e.id, e.type, BigInt(i), e.metadata]));

        const all = await right(store.readAll({ after: checkpoint, streamPrefix: streamId }));
        expect(all.map(decodeAll)).toEqual(expected);
      },
    );
  });
};

describeRoundTrip('loopback gRPC server', () => loopbackTarget());

describeRealServer('round trip', (url) => describeRoundTrip(`real server ${describeUrl(url)}`, () => realServerTarget(url)));
