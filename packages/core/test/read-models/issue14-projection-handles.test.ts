/**
 * Issue 14: a projection that names the event types it reads (the directory) has the others passed over
 * undecoded — but never an event this version cannot read: a newer schema version of a known type still
 * meets the `unknownEvents` policy. And an upcaster's output is decoded, not only checked with `is`.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { createInMemoryEventStore } from '@message-center/core';
import { ClientEvent, directoryProjection, makeEventDecoder, type RecordedEvent } from '@message-center/core/internals';
import { createProjectionRunner } from '../../src/application/projection-runner.js';

const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** An inbound message (a type the directory does not read) stored at `schemaVersion`. */
const storeWithInbound = async (schemaVersion: number) => {
  const store = createInMemoryEventStore();
  const data = { messageId: 'i-1', seq: 1, providerMessageId: 'SM1', from: '+14155552671', to: '+12015550123', body: 'hi', media: [], segments: 1, at: '2026-01-01T00:00:00.000Z' };
  const r = await store.appendToStream('mc-conversation-b1-c1', [{ id: uuid(1), type: 'InboundReceived', data, metadata: { schemaVersion } }], { expectedRevision: 'any' })();
  if (E.isLeft(r)) throw new Error(r.left.message);
  return store;
};

describe('issue 14: Projection.handles', () => {
  it('passes over a known event of a known version the directory does not read, and moves past it', async () => {
    const runner = createProjectionRunner(await storeWithInbound(2), directoryProjection);
    expect(E.isRight(await runner.catchUp()())).toBe(true);
    expect(runner.current().position).not.toBeNull();
    expect(runner.skippedUnknown()).toBe(0);
  });

  it('a newer schema version of that type still stops it (unknownEvents: fail) or is counted (skip)', async () => {
    const failing = createProjectionRunner(await storeWithInbound(99), directoryProjection, { unknownEvents: 'fail' });
    const failed = await failing.catchUp()();
    expect(E.isLeft(failed) ? failed.left.code : 'caught up').toBe('unknown-event-type');
    const skipping = createProjectionRunner(await storeWithInbound(99), directoryProjection, { unknownEvents: 'skip' });
    expect(E.isRight(await skipping.catchUp()())).toBe(true);
    expect(skipping.skippedUnknown()).toBe(1);
  });

  it("an upcaster's output with a hole in an array is a corrupt event, not a state that breaks later", () => {
    const upcasting = (groups: ReadonlyArray<string | undefined>) =>
      makeEventDecoder(ClientEvent, [
        // A host upcaster from a version before any the library wrote: JSON never has holes, an upcaster may.
        { type: 'ClientProfileRecorded', fromVersion: 0, upcast: (data) => (typeof data === 'object' && data !== null ? { ...data, groups } : data) },
      ]);
    const profile = {
      businessId: 'b1',
      clientId: 'c1',
      uid: 'U-1',
      name: 'Ana',
      email: null,
      clientType: 'Member',
      groups: [],
      homeLocation: null,
      cellPhone: { raw: '+14155552671', e164: '+14155552671', problem: null },
      at: '2026-01-01T00:00:00.000Z',
    };
    const recorded: RecordedEvent = {
      id: uuid(2),
      streamId: 'mc-client-b1-c1',
      revision: 0n,
      position: { commit: 1n, prepare: 1n },
      type: 'ClientProfileRecorded',
      data: profile,
      metadata: { schemaVersion: 0 },
      created: '2026-01-01T00:00:00.000Z',
    };
    // The same event with the group filled in is read: only the hole makes it corrupt.
    expect(E.isRight(upcasting(['x', 'y'])(recorded))).toBe(true);
    const decoded = upcasting([, 'x'])(recorded);
    expect(E.isLeft(decoded) ? decoded.left.code : 'decoded').toBe('corrupt-event');
  });
});
