import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import {
  OPT_IN_KEYWORDS,
  OPT_OUT_KEYWORDS,
  conversationDecider,
  type ConversationCommand,
  type ConversationEvent,
  type OptOutType,
} from '@message-center/core/internals';
import {
  FIXTURE,
  conversationCommandArb,
  deciderSpec,
  historyArb,
  mediaListArb,
  messageIdArb,
  providerMessageIdArb,
  runCommands,
  timestampsArb,
  type History,
} from '@message-center/testing';
import {
  accepted,
  allowedSenderArb,
  at,
  callback,
  decide,
  dispatchFailed,
  dispatched,
  inbound,
  messageId,
  momentsOf,
  outcome,
  recorded,
  send,
  step,
  types,
} from './support.js';

const spec = deciderSpec(conversationDecider);

const isUnsubscribed = (events: ReadonlyArray<ConversationEvent>): boolean => {
  const changes = events.filter((e) => e.type === 'ClientUnsubscribed' || e.type === 'ClientResubscribed');
  return changes[changes.length - 1]?.type === 'ClientUnsubscribed';
};

/** A keyword as people type it: any case per letter, any Unicode whitespace around it. */
const dressed = (keywords: ReadonlyArray<string>): fc.Arbitrary<{ readonly keyword: string; readonly body: string }> =>
  fc
    .record({
      keyword: fc.constantFrom(...keywords),
      upper: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
      before: fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u0085'), maxLength: 3 }),
      after: fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r\n', '\u00a0', '\u2009'), maxLength: 3 }),
    })
    .map(({ keyword, upper, before, after }) => ({
      keyword,
      body: `${before}${Array.from(keyword, (ch, i) => (upper[i] === true ? ch : ch.toLowerCase())).join('')}${after}`,
    }));

const optOutArb = dressed(OPT_OUT_KEYWORDS);
const optInArb = dressed(OPT_IN_KEYWORDS);

/** Bodies that merely contain a keyword: ordinary messages. */
const notQuiteKeywordArb = fc.constantFrom('STOP!', 'stop please', 'Please STOP', 'S T O P', 'STOP STOP', 'start?', 'yes please', 'Yes.', 'ST0P', 'unstop me', 'quit it');

/**
 * Histories that push against the opt-out rule: the kit's commands plus many valid sends (by allowed senders,
 * within the allotment, fresh ids) and many opt-out / opt-in messages.
 */
const pressureHistoryArb = (maxLength = 60): fc.Arbitrary<History> => {
  const validSend = fc
    .record({ actor: allowedSenderArb, n: fc.nat({ max: 1_000 }), reuse: fc.boolean(), id: messageIdArb })
    .map(({ actor, n, reuse, id }): ConversationCommand => send({ actor, id: reuse ? id : `v-${n}`, body: 'Reminder' }));
  const keyword = fc
    .record({ word: fc.oneof(optOutArb, optInArb), sid: fc.nat({ max: 1_000 }), reuse: fc.boolean(), known: providerMessageIdArb, type: fc.constantFrom<OptOutType | null>(null, null, null, 'STOP', 'START', 'HELP') })
    .map(({ word, sid, reuse, known, type }): ConversationCommand => inbound({ sid: reuse ? known : `SM-k-${sid}`, body: word.body, optOutType: type }));
  const unsubscribedByProvider = fc
    .record({ id: messageIdArb, asCallback: fc.boolean() })
    .map(({ id, asCallback }): ConversationCommand => (asCallback ? callback(`SM-${id}`, 'undelivered', 21610) : dispatchFailed(id, 21610, 'recipient-unsubscribed')));
  return fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: conversationCommandArb },
        { weight: 3, arbitrary: validSend },
        { weight: 2, arbitrary: keyword },
        { weight: 1, arbitrary: unsubscribedByProvider },
      ),
      { maxLength, size: '+1' },
    )
    .chain((commands) => timestampsArb(commands.length).map((times) => runCommands(commands, times)));
};

describe('V3 opt-out', () => {
  test.prop([pressureHistoryArb(50)])(
    'V3 between a ClientUnsubscribed and the next ClientResubscribed no OutboundSent appears, whatever the command sequence',
    (history) => {
      let unsubscribed = false;
      for (const e of history.events) {
        if (e.type === 'ClientUnsubscribed') unsubscribed = true;
        if (e.type === 'ClientResubscribed') unsubscribed = false;
        if (unsubscribed) expect(e.type).not.toBe('OutboundSent');
      }
    },
  );

  test.prop([pressureHistoryArb(50)])(
    'V3 every SendMessage decided while unsubscribed is refused client-unsubscribed (unless an earlier check refuses it, or it is a retry of a recorded message)',
    (history) => {
      const moments = momentsOf(history);
      history.steps.forEach((s, i) => {
        const c = s.command;
        const before = moments[i]?.events ?? [];
        if (c.type !== 'SendMessage' || !isUnsubscribed(before)) return;
        const retry = before.some((e) => e.type === 'OutboundSent' && e.data.messageId === c.messageId);
        const result = outcome(s.result);
        if (typeof result !== 'string') {
          // Only an already-recorded message may come back accepted, and then it decides nothing.
          expect(retry).toBe(true);
          expect(result).toEqual([]);
          return;
        }
        const otherwiseFine =
          !retry &&
          c.actor.businessId === FIXTURE.businessId &&
          (c.actor.kind === 'automation' || c.actor.permissions.includes('send-email-sms')) &&
          c.context.business !== null &&
          c.context.recipient.phone !== null &&
          c.body.trim() !== '' &&
          Array.from(c.body).length <= 1600;
        if (otherwiseFine) expect(result).toBe('client-unsubscribed');
      });
    },
  );

  test.prop([pressureHistoryArb(50)])(
    'V3 over whole histories subscription changes alternate (unsubscribed first) and the state follows the last one',
    (history) => {
      const changes = history.events.flatMap((e) => (e.type === 'ClientUnsubscribed' || e.type === 'ClientResubscribed' ? [e.type] : []));
      changes.forEach((t, i) => expect(t).toBe(i % 2 === 0 ? 'ClientUnsubscribed' : 'ClientResubscribed'));
      expect(history.state.subscription.status).toBe(isUnsubscribed(history.events) ? 'unsubscribed' : 'subscribed');
    },
  );

  test.prop([historyArb(30), optOutArb])(
    'V3 an opt-out keyword (any case, any surrounding whitespace, incl. OPTOUT and REVOKE) unsubscribes a subscribed client; from an unsubscribed one it is an ordinary message',
    (history, { keyword, body }) => {
      const events = accepted(decide(inbound({ sid: 'SM-kw', body }), history.state));
      const received = events.filter((e) => e.type !== 'ConversationStarted');
      if (isUnsubscribed(history.events)) {
        expect(types(received)).toEqual(['InboundReceived']);
      } else {
        expect(types(received)).toEqual(['InboundReceived', 'ClientUnsubscribed']);
        expect(received[1]?.data).toMatchObject({ source: 'keyword', keyword, messageId: 'in-SM-kw' });
      }
    },
  );

  test.prop([historyArb(30), optInArb])(
    'V3 START, YES, UNSTOP resubscribe only an unsubscribed client; for a subscribed one they are an ordinary InboundReceived',
    (history, { keyword, body }) => {
      const events = accepted(decide(inbound({ sid: 'SM-kw', body }), history.state));
      const received = events.filter((e) => e.type !== 'ConversationStarted');
      if (isUnsubscribed(history.events)) {
        expect(types(received)).toEqual(['InboundReceived', 'ClientResubscribed']);
        expect(received[1]?.data).toMatchObject({ source: 'keyword', keyword, messageId: 'in-SM-kw' });
      } else {
        expect(types(received)).toEqual(['InboundReceived']);
      }
    },
  );

  test.prop([
    historyArb(30),
    fc.oneof(optOutArb.map((k) => k.body), optInArb.map((k) => k.body), notQuiteKeywordArb, fc.constantFrom('', ' ')),
    fc.option(fc.constantFrom<OptOutType>('STOP', 'START', 'HELP'), { nil: null }),
    mediaListArb(),
  ])('V2 V3 media never change a subscription decision: an MMS decides what the same message without media decides (issue 13)', (history, body, optOutType, media) => {
    const withMedia = accepted(decide(inbound({ sid: 'SM-mms', body, optOutType, media }), history.state));
    const without = accepted(decide(inbound({ sid: 'SM-mms', body, optOutType }), history.state));
    const changes = (events: ReadonlyArray<ConversationEvent>) => events.filter((e) => e.type === 'ClientUnsubscribed' || e.type === 'ClientResubscribed');
    expect(changes(withMedia)).toEqual(changes(without));
    expect(withMedia.find((e) => e.type === 'InboundReceived')?.data).toMatchObject({ body, media });
  });

  test.prop([historyArb(30), notQuiteKeywordArb])('V3 a body that is more than a keyword (STOP please, STOP!) changes no subscription', (history, body) => {
    const events = accepted(decide(inbound({ sid: 'SM-kw', body }), history.state));
    expect(types(events).filter((t) => t !== 'ConversationStarted')).toEqual(['InboundReceived']);
  });

  test.prop([historyArb(30), fc.oneof(optOutArb.map((k) => k.body), optInArb.map((k) => k.body), fc.string({ maxLength: 20 }), fc.constantFrom('HELP', 'ARRET', 'BAJA')), fc.constantFrom<OptOutType>('STOP', 'START', 'HELP')])(
    'V3 Twilio’s OptOutType, when present, overrides the body (source opt-out-type)',
    (history, body, optOutType) => {
      const unsubscribed = isUnsubscribed(history.events);
      const events = accepted(decide(inbound({ sid: 'SM-kw', body, optOutType }), history.state));
      const changes = events.filter((e) => e.type === 'ClientUnsubscribed' || e.type === 'ClientResubscribed');
      const expected =
        optOutType === 'STOP' && !unsubscribed ? ['ClientUnsubscribed'] : optOutType === 'START' && unsubscribed ? ['ClientResubscribed'] : [];
      expect(types(changes)).toEqual(expected);
      for (const change of changes) {
        expect(change.data.source).toBe('opt-out-type');
        // The keyword is recorded only when the body's own keyword says the same thing as Twilio.
        const canonical = body.replace(/^[\s\u0085]+|[\s\u0085]+$/g, '').toUpperCase();
        const same = (optOutType === 'STOP' ? OPT_OUT_KEYWORDS : OPT_IN_KEYWORDS).some((k) => k === canonical);
        expect(change.data.keyword).toBe(same ? canonical : null);
      }
    },
  );

  test.prop([historyArb(30), fc.boolean(), fc.boolean()])(
    'V3 Twilio error 21610 unsubscribes (source provider-error): on a dispatch failure and as a callback error code',
    (history, asCallback, byReason) => {
      fc.pre(!isUnsubscribed(history.events));
      const sent = step(history.state, send({ id: 'm-21610' })).state;
      const refused = asCallback
        ? step(step(sent, dispatched('m-21610')).state, callback('SM-m-21610', 'undelivered', 21610))
        : step(sent, byReason ? dispatchFailed('m-21610', null, 'recipient-unsubscribed') : dispatchFailed('m-21610', 21610, 'undeliverable'));
      const unsubscribed = refused.events.filter((e) => e.type === 'ClientUnsubscribed');
      expect(unsubscribed).toHaveLength(1);
      expect(unsubscribed[0]?.data).toMatchObject({ source: 'provider-error', keyword: null, messageId: 'm-21610' });
      expect(refused.state.subscription).toMatchObject({ status: 'unsubscribed', source: 'provider-error' });
      expect(outcome(decide(send({ id: 'm-after' }), refused.state))).toBe('client-unsubscribed');
    },
  );

  test.prop([historyArb(30)])('V3 other provider errors do not unsubscribe', (history) => {
    fc.pre(!isUnsubscribed(history.events));
    const sent = step(history.state, send({ id: 'm-other' })).state;
    expect(types(step(sent, dispatchFailed('m-other', 21211)).events)).toEqual(['OutboundDispatchFailed']);
    expect(types(step(step(sent, dispatched('m-other')).state, callback('SM-m-other', 'undelivered', 30003)).events)).toEqual(['DeliveryStatusUpdated']);
  });
});

describe('V3 specs', () => {
  const conversation = recorded(inbound({ sid: 'SM1', body: 'Hi' }), send({ id: 'm1' }));
  const optedOut = recorded(inbound({ sid: 'SM1', body: 'Hi' }), send({ id: 'm1' }), inbound({ sid: 'SM2', body: ' Stop ' }));

  it('V3 STOP unsubscribes, recording the keyword', () => {
    const decided = spec.given(conversation).when(inbound({ sid: 'SM2', body: ' Stop ', at: at(5) })).decision();
    expect(E.isRight(decided) ? decided.right.map((e) => (e.type === 'ClientUnsubscribed' ? e.data : e.type)) : decided.left.code).toEqual([
      'InboundReceived',
      { source: 'keyword', keyword: 'STOP', messageId: messageId('in-SM2'), at: at(5) },
    ]);
  });
  it('V3 after STOP every send is refused', () => spec.given(optedOut).when(send({ id: 'm2' })).then({ code: 'client-unsubscribed' }));
  it('V3 START resubscribes', () => {
    const decided = spec.given(optedOut).when(inbound({ sid: 'SM3', body: 'start' })).decision();
    expect(E.isRight(decided) ? types(decided.right) : decided.left.code).toEqual(['InboundReceived', 'ClientResubscribed']);
  });
  it('V3 YES from a subscribed client is an ordinary message', () => {
    const decided = spec.given(conversation).when(inbound({ sid: 'SM3', body: 'YES' })).decision();
    expect(E.isRight(decided) ? types(decided.right) : decided.left.code).toEqual(['InboundReceived']);
  });
  it('V3 OptOutType STOP unsubscribes even when the body is no keyword (custom keyword)', () => {
    const decided = spec.given(conversation).when(inbound({ sid: 'SM3', body: 'ARRET', optOutType: 'STOP' })).decision();
    expect(E.isRight(decided) ? decided.right.map((e) => (e.type === 'ClientUnsubscribed' ? [e.data.source, e.data.keyword] : e.type)) : decided.left.code).toEqual([
      'InboundReceived',
      ['opt-out-type', null],
    ]);
  });
  it('V3 OptOutType HELP with a STOP body changes no subscription', () => {
    const decided = spec.given(conversation).when(inbound({ sid: 'SM3', body: 'STOP', optOutType: 'HELP' })).decision();
    expect(E.isRight(decided) ? types(decided.right) : decided.left.code).toEqual(['InboundReceived']);
  });
  it('V3 a send refused by Twilio with 21610 unsubscribes the client', () => {
    const decided = spec.given(conversation).when(dispatchFailed('m1', 21610, 'recipient-unsubscribed')).decision();
    expect(E.isRight(decided) ? decided.right.map((e) => (e.type === 'ClientUnsubscribed' ? e.data.source : e.type)) : decided.left.code).toEqual([
      'OutboundDispatchFailed',
      'provider-error',
    ]);
  });
});
