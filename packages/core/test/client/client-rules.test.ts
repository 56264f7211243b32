/**
 * C1–C3: the client profile (as the host sends it), its cell phone, and one client per message.
 */
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect } from 'vitest';
import { ClientId, E164, type RecordClientInput } from '@message-center/core';
import { clientDecider, conversationStream, type ClientCommand } from '@message-center/core/internals';
import { mobileArb, staff, timestampArb } from '@message-center/testing';
import { MC_COUNTRIES, countryCode, garbagePhoneArb, landlineArb, mcMobileArb, writtenIn } from '../facade/phones.js';
import { B1, clientId, enableUs, globalLog, must, newWorld, ok, refusedAppendingNothing, storedEvents, type World } from '../facade/support.js';

const nonBlank = (max: number) => fc.string({ minLength: 1, maxLength: max }).filter((s) => s.trim() !== '');

interface Profile {
  readonly uid: string;
  readonly name: string;
  readonly email: string | null;
  readonly cellPhone: string | null;
  readonly clientType: string;
  readonly groups: ReadonlyArray<string>;
  readonly homeLocation: string | null;
}

/** A cell phone as a host may hold it: a mobile in any formatting, a landline, garbage, blank or none. */
const hostPhoneArb: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...MC_COUNTRIES).chain(mcMobileArb).chain((n) => writtenIn(n, 'US')) },
  { weight: 1, arbitrary: landlineArb.map((n) => n.e164) },
  { weight: 1, arbitrary: garbagePhoneArb },
  { weight: 1, arbitrary: fc.constant(null) },
);

const profileArb: fc.Arbitrary<Profile> = fc.record({
  uid: fc.string({ maxLength: 20 }),
  name: nonBlank(40),
  email: fc.option(fc.emailAddress(), { nil: null }),
  cellPhone: hostPhoneArb,
  clientType: fc.string({ maxLength: 12 }),
  groups: fc.array(nonBlank(10), { maxLength: 4 }),
  homeLocation: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
});

const C1_ID = clientId('c1');

const recordCommand = (profile: Profile, at: ClientCommand['at'], defaultCountry = 'US', id: ClientId = C1_ID): ClientCommand => ({
  type: 'RecordClient',
  businessId: B1,
  actor: { kind: 'host', businessId: B1 },
  clientId: id,
  ...profile,
  defaultCountry: countryCode(defaultCountry),
  at,
});

/** One field of the profile changed. */
const changedArb = (p: Profile): fc.Arbitrary<Profile> =>
  fc.constantFrom<Profile>(
    { ...p, uid: `${p.uid}-2` },
    { ...p, name: `${p.name} Jr` },
    { ...p, email: p.email === null ? 'new@example.com' : null },
    { ...p, cellPhone: p.cellPhone === null ? '+14155552671' : null },
    { ...p, clientType: `${p.clientType}!` },
    { ...p, groups: [...p.groups, 'new group'] },
    { ...p, homeLocation: p.homeLocation === null ? 'Downtown' : null },
  );

describe('C1 client profile', () => {
  test.prop([profileArb, timestampArb])('C1 a recorded profile is exactly what the host sent', (profile, at) => {
    const decision = clientDecider.decide(recordCommand(profile, at), clientDecider.initialState);
    if (E.isLeft(decision)) throw new Error(decision.left.message);
    expect(decision.right).toHaveLength(1);
    const data = decision.right[0]?.data;
    expect(data).toMatchObject({
      businessId: B1,
      clientId: C1_ID,
      uid: profile.uid,
      name: profile.name,
      email: profile.email,
      clientType: profile.clientType,
      groups: profile.groups,
      homeLocation: profile.homeLocation,
      at,
    });
    expect(data?.cellPhone.raw).toBe(profile.cellPhone);
    const state = clientDecider.fold(clientDecider.initialState, decision.right);
    expect(state.profile).toMatchObject({ uid: profile.uid, name: profile.name, email: profile.email, groups: profile.groups });
  });

  test.prop([profileArb, timestampArb, timestampArb])('C1 re-recording an identical profile decides [] (at any later time)', (profile, at, later) => {
    const first = clientDecider.decide(recordCommand(profile, at), clientDecider.initialState);
    if (E.isLeft(first)) throw new Error(first.left.message);
    const state = clientDecider.fold(clientDecider.initialState, first.right);
    expect(clientDecider.decide(recordCommand(profile, later), state)).toEqual(E.right([]));
  });

  test.prop([profileArb.chain((p) => fc.tuple(fc.constant(p), changedArb(p))), timestampArb])(
    'C1 a profile with any field changed is recorded again, whole',
    ([profile, changed], at) => {
      const first = clientDecider.decide(recordCommand(profile, at), clientDecider.initialState);
      if (E.isLeft(first)) throw new Error(first.left.message);
      const state = clientDecider.fold(clientDecider.initialState, first.right);
      const second = clientDecider.decide(recordCommand(changed, at), state);
      if (E.isLeft(second)) throw new Error(second.left.message);
      expect(second.right).toHaveLength(1);
      expect(second.right[0]?.data).toMatchObject({ name: changed.name, uid: changed.uid, groups: changed.groups, homeLocation: changed.homeLocation });
    },
  );

  const badProfileArb = profileArb.chain((p) =>
    fc.constantFrom<Profile>({ ...p, name: '' }, { ...p, name: '   ' }, { ...p, email: 'not an e-mail' }, { ...p, email: 'nobody' }, { ...p, groups: [...p.groups, ' '] }),
  );

  test.prop([badProfileArb, timestampArb])('C1 a profile with a blank name, a malformed e-mail or a blank group is refused invalid-input', (profile, at) => {
    const decision = clientDecider.decide(recordCommand(profile, at), clientDecider.initialState);
    expect(E.isLeft(decision) ? decision.left.code : decision.right).toBe('invalid-input');
  });

  test.prop([profileArb, badProfileArb], { numRuns: 20 })(
    'C1 via the facade: the stored ClientProfileRecorded is what the host sent; an identical or invalid re-record appends nothing',
    async (profile, bad) => {
      const world = newWorld();
      await enableUs(world, B1, must(E164.is, '+12015550123'));
      const input: RecordClientInput = { businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: 'c1', ...profile };
      await ok(world.mc.recordClient(input));
      const recorded = (await storedEvents(world.store)).filter((s) => s.event.type === 'ClientProfileRecorded');
      expect(recorded).toHaveLength(1);
      const event = recorded[0]?.event;
      expect(event?.type === 'ClientProfileRecorded' ? { ...event.data, cellPhone: event.data.cellPhone.raw, at: null } : null).toEqual({
        businessId: B1,
        clientId: 'c1',
        ...profile,
        at: null,
      });
      const before = await globalLog(world.store);
      await ok(world.mc.recordClient(input));
      expect(await globalLog(world.store)).toEqual(before);
      expect((await refusedAppendingNothing(world.store, world.mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: 'c1', ...bad }))).code).toBe('invalid-input');
    },
  );
});

describe('C2 valid cell phone', () => {
  const formattedMobileArb = fc
    .record({ business: fc.constantFrom(...MC_COUNTRIES), region: fc.constantFrom(...MC_COUNTRIES) })
    .chain(({ business, region }) =>
      mcMobileArb(region).chain((n) => writtenIn(n, business).map((raw) => ({ business, e164: n.e164, raw }))),
    );

  test.prop([formattedMobileArb, timestampArb], { numRuns: 300 })(
    'C2 any formatting of a valid mobile, parsed in the business country, is stored as the same E.164',
    ({ business, e164, raw }, at) => {
      const profile: Profile = { uid: 'u', name: 'Ann', email: null, cellPhone: raw, clientType: '', groups: [], homeLocation: null };
      const decision = clientDecider.decide(recordCommand(profile, at, business), clientDecider.initialState);
      if (E.isLeft(decision)) throw new Error(decision.left.message);
      expect(decision.right[0]?.data.cellPhone).toEqual({ raw, e164, problem: null });
    },
  );

  const unusableArb = fc.oneof(
    landlineArb.chain((n) => writtenIn(n, n.region).map((raw) => ({ raw, business: n.region }))),
    garbagePhoneArb.chain((raw) => fc.constantFrom(...MC_COUNTRIES).map((business) => ({ raw, business }))),
    fc.constantFrom(...MC_COUNTRIES).map((business) => ({ raw: '', business })),
  );

  test.prop([unusableArb, timestampArb])('C2 a landline or an invalid number is recorded with a problem and no E.164', ({ raw, business }, at) => {
    const profile: Profile = { uid: 'u', name: 'Ann', email: null, cellPhone: raw, clientType: '', groups: [], homeLocation: null };
    const decision = clientDecider.decide(recordCommand(profile, at, business), clientDecider.initialState);
    if (E.isLeft(decision)) throw new Error(decision.left.message);
    const cell = decision.right[0]?.data.cellPhone;
    expect(cell?.raw).toBe(raw);
    expect(cell?.e164).toBeNull();
    expect(cell?.problem).toEqual(expect.any(String));
  });

  /** A business of `country` whose number is a mobile of that country. */
  const enabledIn = async (world: World, country: string, number: E164): Promise<void> => {
    await ok(world.mc.enableMessageCenter({ businessId: B1, actor: { kind: 'host', businessId: B1 }, country, number, allotment: { messagesPerPeriod: 1000, overage: 'refuse' } }));
  };

  const facadeCaseArb = fc.constantFrom(...MC_COUNTRIES).chain((business) =>
    fc.record({
      business: fc.constant(business),
      businessNumber: mcMobileArb(business),
      unusable: fc.oneof(
        landlineArb.chain((n) => writtenIn(n, business)),
        garbagePhoneArb,
        fc.constant(''),
      ),
      usable: mcMobileArb(business).chain((n) => writtenIn(n, business).map((raw) => ({ raw, e164: n.e164 }))),
    }),
  );

  test.prop([facadeCaseArb], { numRuns: 20 })(
    'C2 via the facade: a client without a valid cell phone is recorded with its problem and sendMessage to it is client-has-no-valid-cell-phone, appending nothing',
    async ({ business, businessNumber, unusable, usable }) => {
      fc.pre(usable.e164 !== businessNumber.e164);
      const world = newWorld();
      await enabledIn(world, business, businessNumber.e164);
      const recorded = await ok(world.mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: 'c-bad', uid: 'u', name: 'Bob', cellPhone: unusable }));
      expect(recorded).toEqual({ cellPhone: null, phoneProblem: expect.any(String) });
      const error = await refusedAppendingNothing(world.store, world.mc.sendMessage({ businessId: B1, clientId: 'c-bad', actor: staff('s1'), body: 'hello' }));
      expect(error.code).toBe('client-has-no-valid-cell-phone');

      // The same client once the host fixes the number: stored in E.164, and the message goes there.
      expect(await ok(world.mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: 'c-bad', uid: 'u', name: 'Bob', cellPhone: usable.raw }))).toEqual({ cellPhone: usable.e164, phoneProblem: null });
      await ok(world.mc.sendMessage({ businessId: B1, clientId: 'c-bad', actor: staff('s1'), body: 'hello' }));
      expect(world.transport.sent.map((s) => s.to)).toEqual([usable.e164]);

      // And back to unusable: refused again, appending nothing, even though the conversation exists now.
      await ok(world.mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: 'c-bad', uid: 'u', name: 'Bob', cellPhone: unusable }));
      expect((await refusedAppendingNothing(world.store, world.mc.sendMessage({ businessId: B1, clientId: 'c-bad', actor: staff('s1'), body: 'again' }))).code).toBe(
        'client-has-no-valid-cell-phone',
      );
    },
  );
});

describe('C3 one client per message', () => {
  const unknownIdArb = fc.stringMatching(/^[a-z0-9-]{1,12}$/).filter((s) => ClientId.is(s) && s !== 'c1' && s !== 'c2');

  test.prop([unknownIdArb, fc.constantFrom('hello', 'STOP', 'x')], { numRuns: 20 })(
    'C3 a send to an unknown client id is client-not-found and appends nothing; naming two conversations is invalid-input',
    async (unknown, body) => {
      const world = newWorld();
      await enableUs(world, B1, must(E164.is, '+12015550123'));
      await ok(world.mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: 'c1', uid: 'u1', name: 'Ann', cellPhone: '+14155552671' }));
      await ok(world.mc.sendMessage({ businessId: B1, clientId: 'c1', actor: staff('s1'), body: 'first' }));
      expect((await refusedAppendingNothing(world.store, world.mc.sendMessage({ businessId: B1, clientId: unknown, actor: staff('s1'), body }))).code).toBe('client-not-found');
      expect((await refusedAppendingNothing(world.store, world.mc.sendMessage({ businessId: B1, conversationId: unknown, actor: staff('s1'), body }))).code).toBe('client-not-found');
      expect((await refusedAppendingNothing(world.store, world.mc.sendMessage({ businessId: B1, clientId: 'c1', conversationId: unknown, actor: staff('s1'), body }))).code).toBe('invalid-input');
      expect((await refusedAppendingNothing(world.store, world.mc.sendMessage({ businessId: B1, actor: staff('s1'), body }))).code).toBe('invalid-input');
      // A client of another business is unknown here, too.
      await ok(world.mc.enableMessageCenter({ businessId: 'b2', actor: { kind: 'host', businessId: 'b2' }, country: 'US', number: '+12125550199', allotment: { messagesPerPeriod: 10, overage: 'refuse' } }));
      await ok(world.mc.recordClient({ businessId: 'b2', actor: { kind: 'host', businessId: 'b2' }, clientId: unknown, uid: 'u', name: 'Zed', cellPhone: '+14155552672' }));
      expect((await refusedAppendingNothing(world.store, world.mc.sendMessage({ businessId: B1, clientId: unknown, actor: staff('s1'), body }))).code).toBe('client-not-found');
    },
  );

  type RunOp =
    | { readonly kind: 'send'; readonly client: number }
    | { readonly kind: 'move'; readonly client: number; readonly phone: number }
    | { readonly kind: 'reply'; readonly client: number };

  const runArb = fc.record({
    phones: fc.uniqueArray(mobileArb('US'), { minLength: 6, maxLength: 6 }),
    ops: fc.array(
      fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 0, max: 2 }).map((client): RunOp => ({ kind: 'send', client })) },
        { weight: 1, arbitrary: fc.record({ client: fc.integer({ min: 0, max: 2 }), phone: fc.integer({ min: 0, max: 4 }) }).map((o): RunOp => ({ kind: 'move', ...o })) },
        { weight: 2, arbitrary: fc.integer({ min: 0, max: 2 }).map((client): RunOp => ({ kind: 'reply', client })) },
      ),
      { maxLength: 14 },
    ),
  });

  test.prop([runArb], { numRuns: 20 })(
    'C3 every OutboundSent of a facade run goes to the cell phone its conversation\'s client had when it was sent, and to no one else',
    async ({ phones, ops }) => {
      const [businessNumber, ...clientPhones] = phones;
      if (businessNumber === undefined) throw new Error('six numbers');
      const world = newWorld();
      await enableUs(world, B1, businessNumber);
      const clients = ['c0', 'c1', 'c2'].map(clientId);
      const phoneOf = new Map<ClientId, E164>();
      const expectedTo = new Map<ClientId, Array<E164>>();
      for (const [i, id] of clients.entries()) {
        const phone = clientPhones[i];
        if (phone === undefined) throw new Error('a phone per client');
        await ok(world.mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: id, uid: id, name: `Client ${i}`, cellPhone: phone }));
        phoneOf.set(id, phone);
      }
      for (const [i, op] of ops.entries()) {
        const id = clients[op.client];
        if (id === undefined) throw new Error('client index');
        if (op.kind === 'send') {
          const sent = await ok(world.mc.sendMessage({ businessId: B1, clientId: id, actor: staff('s1'), body: `to ${id} #${i}` }));
          expect(sent.conversationId).toBe(id);
          const phone = phoneOf.get(id);
          if (phone !== undefined) expectedTo.set(id, [...(expectedTo.get(id) ?? []), phone]);
        } else if (op.kind === 'move') {
          const phone = clientPhones[op.phone];
          if (phone === undefined) throw new Error('phone index');
          await ok(world.mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: id, uid: id, name: `Client ${op.client}`, cellPhone: phone }));
          phoneOf.set(id, phone);
        } else {
          const phone = phoneOf.get(id);
          if (phone !== undefined) await ok(world.mc.receiveInbound({ to: businessNumber, from: phone, body: 'reply', providerMessageId: `SM-${i}` }));
        }
      }
      const stored = await storedEvents(world.store);
      for (const id of clients) {
        const stream = stored.filter((s) => s.recorded.streamId === conversationStream(B1, id));
        const outbound = stream.flatMap((s) => (s.event.type === 'OutboundSent' ? [s.event.data.to] : []));
        expect(outbound).toEqual(expectedTo.get(id) ?? []);
        const started = stream.find((s) => s.event.type === 'ConversationStarted')?.event;
        if (started?.type === 'ConversationStarted') expect(started.data.clientId).toBe(id);
      }
      // Every message handed to the transport is one of those, to the same phone.
      const toByMessage = new Map(stored.flatMap((s) => (s.event.type === 'OutboundSent' ? [[s.event.data.messageId, s.event.data.to] as const] : [])));
      for (const sms of world.transport.sent) expect(toByMessage.get(sms.messageId)).toBe(sms.to);
      expect(world.transport.sent).toHaveLength(toByMessage.size);
    },
  );
});
