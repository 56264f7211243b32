/**
 * Bad input never corrupts state (DESIGN §5): every refused facade call appends nothing and says why.
 * Also V1/R1 authorisation and `invalid-input` naming the faulty fields.
 */
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  BusinessId,
  E164,
  ReceiveInboundInput,
  SEND_PERMISSION,
  SendMessageInput,
  type Actor,
  type MessageCenterError,
  type MessageCenterErrorCode,
  type StaffActor,
} from '@message-center/core';
import { decodeInput } from '@message-center/core/internals';
import { actorArb, bodyArb, staff, viewerArb } from '@message-center/testing';
import { B1, B2, globalLog, must, newWorld, ok, refusedAppendingNothing, type World } from './support.js';

const N1 = must(E164.is, '+12015550123');
const N2 = must(E164.is, '+12015550124');
const N3 = must(E164.is, '+12125550199');
const N4 = must(E164.is, '+13105550142');
const P1 = must(E164.is, '+14155552671');
const UNKNOWN_PHONE = must(E164.is, '+16465550123');

/** b1 (US, N1) with client c1 (a mobile) and c2 (a GB landline: no valid cell phone); b2 (US, N3). */
const populated = async (): Promise<World> => {
  const world = newWorld();
  await ok(world.mc.enableMessageCenter({ businessId: B1, actor: { kind: 'host', businessId: B1 }, country: 'US', number: N1, allotment: { messagesPerPeriod: 1000, overage: 'refuse' } }));
  await ok(world.mc.enableMessageCenter({ businessId: B2, actor: { kind: 'host', businessId: B2 }, country: 'US', number: N3, allotment: { messagesPerPeriod: 1000, overage: 'refuse' } }));
  await ok(world.mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: 'c1', uid: 'u1', name: 'Ann', cellPhone: P1 }));
  await ok(world.mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: 'c2', uid: 'u2', name: 'Bob', cellPhone: '+44 20 7946 0123' }));
  return world;
};

// ---------------------------------------------------------------- random sequences of facade calls

const targetArb = fc.constantFrom('c1', 'c1', 'c2', 'c9', `tel:${UNKNOWN_PHONE}`, '', 'tel:not-a-phone');
const businessArb = fc.constantFrom<string>(B1, B1, B1, B2, 'b9', '');
const numberArb = fc.constantFrom<string>(N1, N2, N3, N4, '+33612345678', 'not a number', '');
const providerIdArb = fc.constantFrom('SM1', 'SM2', 'SM3', 'SM4', '');

type Call =
  | { readonly kind: 'send'; readonly businessId: string; readonly actor: Actor; readonly target: string; readonly body: string; readonly messageId: string | null }
  | { readonly kind: 'inbound'; readonly to: string; readonly from: string; readonly body: string; readonly providerMessageId: string; readonly optOutType: 'STOP' | 'START' | 'HELP' | null; readonly receivedAt: string | null }
  | { readonly kind: 'read' | 'unread'; readonly businessId: string; readonly actor: StaffActor; readonly target: string }
  | { readonly kind: 'archive' | 'unarchive' | 'mute' | 'unmute' | 'pin' | 'unpin'; readonly businessId: string; readonly actor: Actor; readonly target: string }
  | { readonly kind: 'record'; readonly businessId: string; readonly clientId: string; readonly name: string; readonly email: string | null; readonly cellPhone: string | null; readonly groups: ReadonlyArray<string> }
  | { readonly kind: 'enable'; readonly businessId: string; readonly country: string; readonly number: string; readonly limit: number }
  | { readonly kind: 'changeNumber'; readonly businessId: string; readonly number: string }
  | { readonly kind: 'individual'; readonly businessId: string; readonly individual: boolean }
  | { readonly kind: 'plan'; readonly businessId: string; readonly limit: number; readonly overage: 'refuse' | 'allow' }
  | { readonly kind: 'delivery'; readonly sent: number | null; readonly status: string }
  | { readonly kind: 'query'; readonly businessId: string; readonly viewer: StaffActor; readonly target: string };

const callArb: fc.Arbitrary<Call> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record({ businessId: businessArb, actor: actorArb, target: targetArb, body: bodyArb, messageId: fc.constantFrom(null, null, 'm-fixed', '') })
      .map((c): Call => ({ kind: 'send', ...c })),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({
        to: fc.constantFrom<string>(N1, N1, N2, N3, N4, 'garbage'),
        from: fc.constantFrom<string>(P1, P1, UNKNOWN_PHONE, '+44 20 7946 0123', 'xx'),
        body: bodyArb,
        providerMessageId: providerIdArb,
        optOutType: fc.constantFrom(null, null, null, 'STOP' as const, 'START' as const, 'HELP' as const),
        receivedAt: fc.constantFrom(null, null, 'yesterday', '2026-03-01T10:00:00.000Z'),
      })
      .map((c): Call => ({ kind: 'inbound', ...c })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({ kind: fc.constantFrom('read' as const, 'unread' as const), businessId: businessArb, actor: viewerArb, target: targetArb })
      .map((c): Call => c),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({
        kind: fc.constantFrom('archive' as const, 'unarchive' as const, 'mute' as const, 'unmute' as const, 'pin' as const, 'unpin' as const),
        businessId: businessArb,
        actor: actorArb,
        target: targetArb,
      })
      .map((c): Call => c),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        businessId: businessArb,
        clientId: fc.constantFrom('c1', 'c3', 'tel:+14155552671', ''),
        name: fc.constantFrom('Ann', 'Cy', '', '  '),
        email: fc.constantFrom(null, 'ann@example.com', 'not an e-mail'),
        cellPhone: fc.constantFrom(null, P1, '(646) 555-0123', '+44 20 7946 0123', 'nope'),
        groups: fc.constantFrom([], ['vip'], [' ']),
      })
      .map((c): Call => ({ kind: 'record', ...c })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ businessId: fc.constantFrom(B1, 'b3', ''), country: fc.constantFrom('US', 'FR', 'gb', 'JE'), number: numberArb, limit: fc.constantFrom(-1, 0, 5, 1.5) })
      .map((c): Call => ({ kind: 'enable', ...c })),
  },
  { weight: 1, arbitrary: fc.record({ businessId: businessArb, number: numberArb }).map((c): Call => ({ kind: 'changeNumber', ...c })) },
  { weight: 1, arbitrary: fc.record({ businessId: businessArb, individual: fc.boolean() }).map((c): Call => ({ kind: 'individual', ...c })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ businessId: businessArb, limit: fc.constantFrom(-1, 0, 3, 1000, 2.5), overage: fc.constantFrom('refuse' as const, 'allow' as const) })
      .map((c): Call => ({ kind: 'plan', ...c })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ sent: fc.option(fc.nat({ max: 5 }), { nil: null }), status: fc.constantFrom('delivered', 'sent', 'failed', 'pending', 'bogus') })
      .map((c): Call => ({ kind: 'delivery', ...c })),
  },
  { weight: 1, arbitrary: fc.record({ businessId: businessArb, viewer: viewerArb, target: targetArb }).map((c): Call => ({ kind: 'query', ...c })) },
);

/** Performs one call; the answer's right side is of no interest here. */
const perform = (world: World, call: Call): Promise<E.Either<MessageCenterError, unknown>> => {
  const { mc } = world;
  switch (call.kind) {
    case 'send':
      return mc.sendMessage({
        businessId: call.businessId,
        actor: call.actor,
        body: call.body,
        ...(call.target.startsWith('tel:') || call.target === '' ? { conversationId: call.target } : { clientId: call.target }),
        ...(call.messageId === null ? {} : { messageId: call.messageId }),
      })();
    case 'inbound':
      return mc.receiveInbound({
        to: call.to,
        from: call.from,
        body: call.body,
        providerMessageId: call.providerMessageId,
        optOutType: call.optOutType,
        ...(call.receivedAt === null ? {} : { receivedAt: call.receivedAt }),
      })();
    case 'read':
      return mc.markRead({ businessId: call.businessId, conversationId: call.target, actor: call.actor })();
    case 'unread':
      return mc.markUnread({ businessId: call.businessId, conversationId: call.target, actor: call.actor })();
    case 'archive':
    case 'unarchive':
    case 'mute':
    case 'unmute':
    case 'pin':
    case 'unpin':
      return mc[call.kind]({ businessId: call.businessId, conversationId: call.target, actor: call.actor })();
    case 'record':
      return mc.recordClient({ businessId: call.businessId, actor: { kind: 'host', businessId: call.businessId }, clientId: call.clientId, uid: 'uid', name: call.name, email: call.email, cellPhone: call.cellPhone, groups: call.groups })();
    case 'enable':
      return mc.enableMessageCenter({ businessId: call.businessId, actor: { kind: 'host', businessId: call.businessId }, country: call.country, number: call.number, allotment: { messagesPerPeriod: call.limit, overage: 'refuse' } })();
    case 'changeNumber':
      return mc.changeNumber({ businessId: call.businessId, actor: { kind: 'host', businessId: call.businessId }, number: call.number })();
    case 'individual':
      return mc.setIndividualReadStatus({ businessId: call.businessId, actor: { kind: 'host', businessId: call.businessId }, individual: call.individual })();
    case 'plan':
      return mc.changePlan({ businessId: call.businessId, actor: { kind: 'host', businessId: call.businessId }, allotment: { messagesPerPeriod: call.limit, overage: call.overage } })();
    case 'delivery': {
      const sent = call.sent === null ? undefined : world.transport.sent[call.sent % Math.max(1, world.transport.sent.length)];
      return mc.recordDeliveryStatus({ providerMessageId: sent?.providerMessageId ?? 'SM-never-sent', status: call.status })();
    }
    case 'query':
      return mc.conversation({ businessId: call.businessId, conversationId: call.target, viewer: call.viewer })();
  }
};

const S1 = staff('s1');

/** One hand-written sequence that reaches every refusal, run first so the property certainly meets them all. */
const EVERY_REFUSAL: ReadonlyArray<readonly [Call, MessageCenterErrorCode | null]> = [
  [{ kind: 'read', businessId: B1, actor: S1, target: 'c1' }, 'conversation-not-found'],
  [{ kind: 'send', businessId: B1, actor: S1, target: 'c9', body: 'hi', messageId: null }, 'client-not-found'],
  [{ kind: 'send', businessId: B1, actor: staff('s2', { businessId: B2 }), target: 'c1', body: 'hi', messageId: null }, 'forbidden'],
  [{ kind: 'send', businessId: B1, actor: S1, target: 'c2', body: 'hi', messageId: null }, 'client-has-no-valid-cell-phone'],
  [{ kind: 'send', businessId: B1, actor: S1, target: 'c1', body: '  ', messageId: null }, 'empty-body'],
  [{ kind: 'send', businessId: B1, actor: S1, target: 'c1', body: 'x'.repeat(1601), messageId: null }, 'body-too-long'],
  [{ kind: 'send', businessId: B1, actor: S1, target: 'c1', body: 'hello', messageId: null }, null],
  [{ kind: 'inbound', to: N1, from: P1, body: ' Stop ', providerMessageId: 'SM1', optOutType: null, receivedAt: null }, null],
  [{ kind: 'send', businessId: B1, actor: S1, target: 'c1', body: 'still there?', messageId: null }, 'client-unsubscribed'],
  [{ kind: 'inbound', to: N4, from: P1, body: 'hi', providerMessageId: 'SM2', optOutType: null, receivedAt: null }, 'unknown-number'],
  [{ kind: 'delivery', sent: null, status: 'delivered' }, 'message-not-found'],
  [{ kind: 'changeNumber', businessId: 'b9', number: N2 }, 'message-center-not-enabled'],
  [{ kind: 'changeNumber', businessId: B1, number: N3 }, 'number-in-use'],
  [{ kind: 'changeNumber', businessId: B1, number: '+33612345678' }, 'number-country-not-allowed'],
  [{ kind: 'changeNumber', businessId: B1, number: 'not a number' }, 'invalid-phone-number'],
  [{ kind: 'enable', businessId: B1, country: 'US', number: N4, limit: 5 }, 'message-center-already-enabled'],
  [{ kind: 'enable', businessId: 'b3', country: 'FR', number: N4, limit: 5 }, 'country-not-supported'],
  [{ kind: 'changeNumber', businessId: B1, number: N2 }, null],
  [{ kind: 'inbound', to: N1, from: P1, body: 'START', providerMessageId: 'SM3', optOutType: null, receivedAt: null }, 'number-retired'],
  [{ kind: 'inbound', to: N2, from: P1, body: 'START', providerMessageId: 'SM3', optOutType: null, receivedAt: null }, null],
  [{ kind: 'plan', businessId: B1, limit: 0, overage: 'refuse' }, null],
  [{ kind: 'send', businessId: B1, actor: S1, target: 'c1', body: 'over the limit', messageId: null }, 'allotment-exhausted'],
  [{ kind: 'record', businessId: B1, clientId: 'c3', name: ' ', email: null, cellPhone: null, groups: [] }, 'invalid-input'],
];

describe('every refused command appends nothing', () => {
  it('§5 every refused facade call, in any sequence of good and bad calls, leaves the global log unchanged and names a code and a message', async () => {
    const seen = new Set<MessageCenterErrorCode>();
    await fc.assert(
      fc.asyncProperty(fc.array(callArb, { minLength: 1, maxLength: 25 }), async (calls) => {
        const world = await populated();
        for (const call of calls) {
          const before = await globalLog(world.store);
          const result = await perform(world, call);
          if (E.isRight(result)) continue;
          seen.add(result.left.code);
          const after = await globalLog(world.store);
          expect({ refused: result.left.code, call: call.kind, appended: after.length - before.length }).toEqual({ refused: result.left.code, call: call.kind, appended: 0 });
          expect(after.every((e, i) => e === before[i])).toBe(true);
          expect(result.left.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 30, examples: [[EVERY_REFUSAL.map(([call]) => call)]] },
    );
    // The sequences did reach every refusal of the facade.
    for (const code of EVERY_REFUSAL.flatMap(([, c]) => (c === null ? [] : [c]))) expect(seen).toContain(code);
  });

  it('§5 the hand-written sequence is refused exactly where expected', async () => {
    const world = await populated();
    for (const [call, expected] of EVERY_REFUSAL) {
      const result = await perform(world, call);
      expect({ call, outcome: E.isLeft(result) ? result.left.code : null }).toEqual({ call, outcome: expected });
    }
  });
});

// ---------------------------------------------------------------- V1 and R1: who may act

const notSenderArb: fc.Arbitrary<Actor> = fc.oneof(
  fc
    .array(fc.constantFrom('view-reports', 'send-email', 'SEND-EMAIL-SMS', 'send-email-sms ', 'admin'), { maxLength: 3 })
    .chain((permissions) => fc.constantFrom('s1', 's7').map((id) => staff(id, { permissions }))),
  fc.constantFrom('s1', 's8').map((id) => staff(id, { businessId: B2 })),
  fc.constant<Actor>({ kind: 'automation', businessId: B2, name: 'marketing' }),
);

const outsiderArb: fc.Arbitrary<StaffActor> = fc
  .tuple(fc.constantFrom<string>(B2, 'b9'), fc.constantFrom('s1', 's2', 's9'), fc.constantFrom([SEND_PERMISSION], []))
  .map(([businessId, id, permissions]) => staff(id, { businessId: must(BusinessId.is, businessId), permissions }));

describe('V1 / R1 authorisation', () => {
  test.prop([notSenderArb, fc.constantFrom('c1', 'c2', 'c9'), fc.boolean()], { numRuns: 30 })(
    'V1 staff without send-email-sms, staff of another business and another business\'s automation are refused forbidden, appending nothing',
    async (actor, target, conversationExists) => {
      const world = await populated();
      if (conversationExists) await ok(world.mc.sendMessage({ businessId: B1, clientId: 'c1', actor: staff('s1'), body: 'hello' }));
      const error = await refusedAppendingNothing(world.store, world.mc.sendMessage({ businessId: B1, clientId: target, actor, body: 'hello' }));
      expect(error.code).toBe('forbidden');
    },
  );

  test.prop([outsiderArb], { numRuns: 20 })(
    'R1 a viewer of another business cannot query, read, mark, archive, pin or mute a conversation, nor see usage (forbidden, nothing appended)',
    async (outsider) => {
      const world = await populated();
      await ok(world.mc.sendMessage({ businessId: B1, clientId: 'c1', actor: staff('s1'), body: 'hello' }));
      const where = { businessId: B1, conversationId: 'c1' };
      const refusals = [
        await refusedAppendingNothing(world.store, world.mc.conversation({ ...where, viewer: outsider })),
        await refusedAppendingNothing(world.store, world.mc.usage({ businessId: B1, viewer: outsider })),
        await refusedAppendingNothing(world.store, world.mc.markRead({ ...where, actor: outsider })),
        await refusedAppendingNothing(world.store, world.mc.markUnread({ ...where, actor: outsider })),
        await refusedAppendingNothing(world.store, world.mc.archive({ ...where, actor: outsider })),
        await refusedAppendingNothing(world.store, world.mc.pin({ ...where, actor: outsider })),
        await refusedAppendingNothing(world.store, world.mc.mute({ ...where, actor: outsider })),
      ];
      expect(refusals.map((e) => e.code)).toEqual(Array.from({ length: refusals.length }, () => 'forbidden'));
      // The same people asking about their own business see nothing of b1's client either.
      if (outsider.businessId === B2) {
        const own = await world.mc.conversation({ businessId: B2, conversationId: 'c1', viewer: outsider })();
        // B0: with the permission they find no such conversation; without it they are refused before looking.
        expect(E.isLeft(own) ? own.left.code : 'visible').toBe(outsider.permissions.includes(SEND_PERMISSION) ? 'conversation-not-found' : 'forbidden');
      }
    },
  );
});

// ---------------------------------------------------------------- invalid input names its fields

const pathsOf = (error: MessageCenterError): ReadonlyArray<string> =>
  error.code === 'invalid-input' ? [...new Set(error.problems.map((p) => p.slice(0, p.indexOf(':'))))].sort() : [`not invalid-input: ${error.code}`];

const SEND_BREAKABLE = ['businessId', 'clientId', 'messageId', 'actor.staffId', 'actor.businessId'] as const;
const INBOUND_BREAKABLE = ['providerMessageId', 'receivedAt'] as const;
const ENABLE_BREAKABLE = ['businessId', 'country', 'allotment.messagesPerPeriod'] as const;
const RECORD_BREAKABLE = ['businessId', 'clientId'] as const;
const QUERY_BREAKABLE = ['businessId', 'conversationId', 'viewer.staffId'] as const;

const brokenArb = <P extends string>(paths: ReadonlyArray<P>) => fc.subarray([...paths], { minLength: 1 }).map((b) => new Set<string>(b));

describe('invalid input', () => {
  test.prop([brokenArb(SEND_BREAKABLE), brokenArb(INBOUND_BREAKABLE), brokenArb(ENABLE_BREAKABLE), brokenArb(RECORD_BREAKABLE), brokenArb(QUERY_BREAKABLE)], { numRuns: 25 })(
    'V1/B1/C1/R1 values the codecs refuse give invalid-input listing exactly the faulty field paths, appending nothing',
    async (send, inbound, enable, record, query) => {
      const world = await populated();
      const sendError = await refusedAppendingNothing(
        world.store,
        world.mc.sendMessage({
          businessId: send.has('businessId') ? '' : B1,
          clientId: send.has('clientId') ? 'tel:nobody' : 'c1',
          messageId: send.has('messageId') ? 'two words' : 'm-1',
          body: 'hello',
          actor: { kind: 'staff', businessId: send.has('actor.businessId') ? '' : B1, staffId: send.has('actor.staffId') ? '' : 's1', permissions: [SEND_PERMISSION] },
        }),
      );
      expect(pathsOf(sendError)).toEqual([...send].sort());

      const inboundError = await refusedAppendingNothing(
        world.store,
        world.mc.receiveInbound({
          to: N1,
          from: P1,
          body: 'hi',
          providerMessageId: inbound.has('providerMessageId') ? '' : 'SM-x',
          ...(inbound.has('receivedAt') ? { receivedAt: '2026-03-01 10:00' } : {}),
        }),
      );
      expect(pathsOf(inboundError)).toEqual([...inbound].sort());

      const enableError = await refusedAppendingNothing(
        world.store,
        world.mc.enableMessageCenter({
          businessId: enable.has('businessId') ? '' : 'b3', actor: { kind: 'host', businessId: 'b3' },
          country: enable.has('country') ? 'gb' : 'GB',
          number: '+44 7400 123456',
          allotment: { messagesPerPeriod: enable.has('allotment.messagesPerPeriod') ? -1 : 10, overage: 'allow' },
        }),
      );
      expect(pathsOf(enableError)).toEqual([...enable].sort());

      const recordError = await refusedAppendingNothing(
        world.store,
        world.mc.recordClient({ businessId: record.has('businessId') ? 'b 1' : B1, actor: { kind: 'host', businessId: B1 }, clientId: record.has('clientId') ? 'tel:+14155552671' : 'c5', uid: 'u', name: 'Eve' }),
      );
      expect(pathsOf(recordError)).toEqual([...record].sort());

      const queryError = await refusedAppendingNothing(
        world.store,
        world.mc.conversation({
          businessId: query.has('businessId') ? '' : B1,
          conversationId: query.has('conversationId') ? '' : 'c1',
          viewer: query.has('viewer.staffId') ? { kind: 'staff', businessId: B1, staffId: '', permissions: [] } : staff('s1'),
        }),
      );
      expect(pathsOf(queryError)).toEqual([...query].sort());
    },
  );

  /** Values of the wrong JSON type, as an untyped caller (a webhook, plain JS) could pass them. */
  const wrongArb = fc.constantFrom<unknown>(42, null, true, [], {}, ['x'], 1.5);

  const untypedSendArb = fc.record({
    businessId: fc.option(wrongArb, { freq: 2, nil: undefined }),
    actor: fc.option(wrongArb, { freq: 2, nil: undefined }),
    body: fc.option(wrongArb, { freq: 2, nil: undefined }),
    clientId: fc.option(wrongArb, { freq: 2, nil: undefined }),
  });

  test.prop([untypedSendArb])(
    'V1 an untyped sendMessage input with fields of the wrong type is invalid-input naming each of them (the facade\'s own input decoding)',
    (wrong) => {
      const input: Record<string, unknown> = {
        businessId: wrong.businessId !== undefined ? wrong.businessId : B1,
        actor: wrong.actor !== undefined ? wrong.actor : staff('s1'),
        body: wrong.body !== undefined ? wrong.body : 'hello',
        clientId: wrong.clientId !== undefined ? wrong.clientId : 'c1',
      };
      const expected = Object.entries(wrong).flatMap(([k, v]) => (v === undefined ? [] : [k])).sort();
      const decoded = decodeInput(SendMessageInput, input);
      if (expected.length === 0) {
        expect(E.isRight(decoded)).toBe(true);
        return;
      }
      expect(E.isLeft(decoded) ? pathsOf(decoded.left) : 'accepted').toEqual(expected);
    },
  );

  const untypedInboundArb = fc.record({
    to: fc.option(wrongArb, { freq: 2, nil: undefined }),
    from: fc.option(wrongArb, { freq: 2, nil: undefined }),
    body: fc.option(wrongArb, { freq: 2, nil: undefined }),
    providerMessageId: fc.option(wrongArb, { freq: 2, nil: undefined }),
    optOutType: fc.option(fc.constantFrom<unknown>('stop', 'STOPALL', 42, true), { freq: 2, nil: undefined }),
    receivedAt: fc.option(fc.constantFrom<unknown>(42, null, 'now', '2026-03-01T10:00:00Z'), { freq: 2, nil: undefined }),
  });

  test.prop([untypedInboundArb])('V2 an untyped inbound webhook input with fields of the wrong type is invalid-input naming each of them', (wrong) => {
    const input: Record<string, unknown> = {
      to: wrong.to !== undefined ? wrong.to : N1,
      from: wrong.from !== undefined ? wrong.from : P1,
      body: wrong.body !== undefined ? wrong.body : 'hi',
      providerMessageId: wrong.providerMessageId !== undefined ? wrong.providerMessageId : 'SM1',
      ...(wrong.optOutType === undefined ? {} : { optOutType: wrong.optOutType }),
      ...(wrong.receivedAt === undefined ? {} : { receivedAt: wrong.receivedAt }),
    };
    const expected = Object.entries(wrong).flatMap(([k, v]) => (v === undefined ? [] : [k])).sort();
    const decoded = decodeInput(ReceiveInboundInput, input);
    if (expected.length === 0) {
      expect(E.isRight(decoded)).toBe(true);
      return;
    }
    expect(E.isLeft(decoded) ? pathsOf(decoded.left) : 'accepted').toEqual(expected);
  });
});
