import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type * as t from 'io-ts';
import { createInMemoryNumberProvisioning, createInMemoryEventStore, createMessageCenter } from '@message-center/core';
import { NumberCommand, NumberEvent, numberDecider } from '@message-center/core/internals';
import { deciderSpec } from '@message-center/testing';

/** Not about the number rule (issue 13): the provider's account holds every number these tests enable with. */
const everyNumber = () => createInMemoryNumberProvisioning({ account: 'any' });

const allotment = { messagesPerPeriod: 100, overage: 'refuse' as const };
const spec = deciderSpec(numberDecider);
const number = '+12015550123';
const at = '2026-11-23T09:00:00.000Z';

/** Fixtures go through their codec, so they carry the brands the domain expects. */
const fixture = <A>(codec: t.Decoder<unknown, A>, value: unknown): A => {
  const decoded = codec.decode(value);
  if (E.isLeft(decoded)) throw new Error(`bad fixture: ${JSON.stringify(value)}`);
  return decoded.right;
};

describe('B1/B2 one business per number', () => {
  it('B1 a free number is assigned; assigning it again to its holder changes nothing; another business is refused', () => {
    const assigned = fixture(NumberEvent, { type: 'NumberAssigned', data: { number, businessId: 'b1', at } });
    const assign = (businessId: string) => fixture(NumberCommand, { type: 'AssignNumber', number, businessId, at });
    spec.given([]).when(assign('b1')).then([assigned]);
    spec.given([assigned]).when(assign('b1')).then([]);
    spec.given([assigned]).when(assign('b2')).then({ code: 'number-in-use' });
  });

  it('B2 only the holder releases a number; then anyone may take it', () => {
    const assigned = fixture(NumberEvent, { type: 'NumberAssigned', data: { number, businessId: 'b1', at } });
    const released = fixture(NumberEvent, { type: 'NumberReleased', data: { number, businessId: 'b1', at } });
    const release = (businessId: string) => fixture(NumberCommand, { type: 'ReleaseNumber', number, businessId, at });
    spec.given([assigned]).when(release('b2')).then([]);
    spec.given([assigned]).when(release('b1')).then([released]);
    spec.given([assigned, released]).when(fixture(NumberCommand, { type: 'AssignNumber', number, businessId: 'b2', at })).then([
      fixture(NumberEvent, { type: 'NumberAssigned', data: { number, businessId: 'b2', at } }),
    ]);
  });

  it('B1 two businesses enabling with the same number at the same time: exactly one wins, the other is number-in-use', async () => {
    for (let round = 0; round < 10; round += 1) {
      const mc = createMessageCenter({ numbers: everyNumber(), store: createInMemoryEventStore() });
      const results = await Promise.all(
        ['b1', 'b2', 'b3'].map((businessId) => mc.enableMessageCenter({ businessId, actor: { kind: 'host', businessId: businessId }, country: 'US', number: '(201) 555-0123', allotment })()),
      );
      expect(results.filter(E.isRight)).toHaveLength(1);
      expect(results.flatMap((r) => (E.isLeft(r) ? [r.left.code] : []))).toEqual(['number-in-use', 'number-in-use']);
    }
  });

  it('B2 a number released by a change of number can be taken by another business; the new one cannot', async () => {
    const mc = createMessageCenter({ numbers: everyNumber(), store: createInMemoryEventStore() });
    await mc.enableMessageCenter({ businessId: 'b1', actor: { kind: 'host', businessId: 'b1' }, country: 'US', number, allotment })();
    await mc.enableMessageCenter({ businessId: 'b2', actor: { kind: 'host', businessId: 'b2' }, country: 'US', number: '+12015550199', allotment })();
    expect(await mc.changeNumber({ businessId: 'b2', actor: { kind: 'host', businessId: 'b2' }, number })()).toMatchObject({ left: { code: 'number-in-use' } });
    expect(E.isRight(await mc.changeNumber({ businessId: 'b1', actor: { kind: 'host', businessId: 'b1' }, number: '+12015550142' })())).toBe(true);
    expect(await mc.changeNumber({ businessId: 'b2', actor: { kind: 'host', businessId: 'b2' }, number })()).toEqual(E.right({ number }));
    // b2's old number was released by its change, so it is free; b1's old number is now b2's.
    expect(await mc.changeNumber({ businessId: 'b1', actor: { kind: 'host', businessId: 'b1' }, number: '+12015550199' })()).toEqual(E.right({ number: '+12015550199' }));
    expect(await mc.changeNumber({ businessId: 'b1', actor: { kind: 'host', businessId: 'b1' }, number })()).toMatchObject({ left: { code: 'number-in-use' } });
  });
});
