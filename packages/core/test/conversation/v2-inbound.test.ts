import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import {
  conversationDecider,
  segmentCount,
  telConversationId,
  type ConversationEvent,
} from '@message-center/core/internals';
import { FIXTURE, bodyArb, deciderSpec, historyArb, mediaListArb, mobileArb, optOutTypeArb, providerMessageIdArb } from '@message-center/testing';
import { accepted, at, decide, fold, inbound, initial, messageId, okContext, outcome, recorded, send, types } from './support.js';
import { HEAVY_TIMEOUT } from '../heavy-property.js';

const spec = deciderSpec(conversationDecider);

const messagesIn = (events: ReadonlyArray<ConversationEvent>): number =>
  events.filter((e) => e.type === 'InboundReceived' || e.type === 'OutboundSent').length;

/** Provider ids of the pool histories use, and fresh ones. */
const sidArb = fc.oneof(providerMessageIdArb.map(String), fc.constantFrom('SM-fresh-1', 'SM-fresh-2'));

describe('V2 inbound', () => {
  test.prop([historyArb(30), sidArb, bodyArb, optOutTypeArb, bodyArb, optOutTypeArb])(
    'V2 the same provider message id decided twice appends nothing the second time (whatever the bodies)',
    (history, sid, body, optOutType, body2, optOutType2) => {
      const first = decide(inbound({ sid, body, optOutType }), history.state);
      expect(E.isRight(first)).toBe(true);
      const after = fold(history.state, accepted(first));
      expect(outcome(decide(inbound({ sid, body, optOutType }), after))).toEqual([]);
      expect(outcome(decide(inbound({ sid, body: body2, optOutType: optOutType2 }), after))).toEqual([]);
    },
    HEAVY_TIMEOUT,
  );

  test.prop([historyArb(40)])(
    'V2 over whole histories no two InboundReceived share a providerMessageId, and a redelivery decides nothing',
    (history) => {
      const sids = history.events.flatMap((e) => (e.type === 'InboundReceived' ? [e.data.providerMessageId] : []));
      expect(new Set(sids).size).toBe(sids.length);
      const seen = new Set<string>();
      for (const s of history.steps) {
        if (s.command.type !== 'ReceiveInbound') continue;
        if (seen.has(s.command.providerMessageId)) expect(outcome(s.result)).toEqual([]);
        seen.add(s.command.providerMessageId);
      }
    },
  );

  test.prop([historyArb(40)])(
    'V2 over whole histories every inbound is recorded, never refused: also while unsubscribed and when sends are refused for the allotment',
    (history) => {
      let messages = 0;
      const seen = new Set<string>();
      for (const s of history.steps) {
        if (s.command.type === 'ReceiveInbound') {
          const events = accepted(s.result);
          if (!seen.has(s.command.providerMessageId)) {
            const received = events.filter((e) => e.type === 'InboundReceived');
            expect(received).toHaveLength(1);
            expect(received[0]?.data).toMatchObject({ seq: messages + 1, providerMessageId: s.command.providerMessageId, body: s.command.body });
          }
          seen.add(s.command.providerMessageId);
        }
        if (E.isRight(s.result)) messages += messagesIn(s.result.right);
      }
    },
  );

  test.prop([historyArb(30), bodyArb, mediaListArb(), optOutTypeArb, fc.integer({ min: 0, max: 5 })])(
    'V2 a new inbound (SMS, or MMS with 0–10 media, with text or not) is recorded with its media as the next message in any state (unsubscribed, archived, over the allotment)',
    (history, body, media, optOutType, limit) => {
      // At this moment the allotment is used up: a send is refused (for that or an earlier reason)…
      expect(E.isLeft(decide(send({ id: 'over', context: okContext({ limit, used: limit }) }), history.state))).toBe(true);
      // …and the client's message is still recorded (B4: inbound is never refused, only counted).
      const events = accepted(decide(inbound({ sid: 'SM-new', body, media, optOutType, at: at(3) }), history.state));
      const received = events.find((e) => e.type === 'InboundReceived');
      expect(received).toEqual({
        type: 'InboundReceived',
        data: {
          messageId: messageId('in-SM-new'),
          seq: messagesIn(history.events) + 1,
          providerMessageId: 'SM-new',
          from: FIXTURE.clientPhone,
          to: FIXTURE.businessNumber,
          body,
          media,
          segments: segmentCount(body),
          at: at(3),
        },
      });
      expect(types(events)[0]).toBe(history.events.length === 0 ? 'ConversationStarted' : 'InboundReceived');
    },
  );

  test.prop([mobileArb(), fc.string({ minLength: 1, maxLength: 30 })])(
    'V2 an inbound from a number that matches no client starts a conversation keyed by the phone number',
    (from, body) => {
      const conversationId = telConversationId(from);
      expect(conversationId).not.toBeNull();
      if (conversationId === null) return;
      const command = { ...inbound({ sid: 'SM-unknown', body }), conversationId, clientId: null, from };
      const events = accepted(decide(command, initial));
      expect(events[0]).toEqual({
        type: 'ConversationStarted',
        data: { businessId: FIXTURE.businessId, conversationId, clientId: null, phone: from, at: command.at },
      });
      expect(types(events).slice(0, 2)).toEqual(['ConversationStarted', 'InboundReceived']);
      expect(fold(initial, events).identity).toMatchObject({ conversationId, clientId: null, phone: from });
    },
  );
});

describe('V2 specs', () => {
  const hello = inbound({ sid: 'SM1', body: 'Hello', at: at(1) });

  it('V2 a client’s first message starts their conversation', () =>
    spec.given([]).when(hello).then([
      {
        type: 'ConversationStarted',
        data: { businessId: FIXTURE.businessId, conversationId: FIXTURE.conversationId, clientId: FIXTURE.conversationId, phone: FIXTURE.clientPhone, at: at(1) },
      },
      {
        type: 'InboundReceived',
        data: {
          messageId: messageId('in-SM1'),
          seq: 1,
          providerMessageId: hello.providerMessageId,
          from: FIXTURE.clientPhone,
          to: FIXTURE.businessNumber,
          body: 'Hello',
          media: [],
          segments: 1,
          at: at(1),
        },
      },
    ]));

  it('V2 a redelivered webhook (same provider id) appends nothing', () => spec.given(recorded(hello)).when(hello).then([]));

  it('V2 a redelivered STOP does not unsubscribe twice', () =>
    spec.given(recorded(inbound({ sid: 'SM2', body: 'STOP' }))).when(inbound({ sid: 'SM2', body: 'STOP' })).then([]));

  it('V2 a client who opted out can still write: the message is recorded', () => {
    const decided = spec.given(recorded(inbound({ sid: 'SM2', body: 'STOP' }))).when(inbound({ sid: 'SM3', body: 'why do I get no reminders?' })).decision();
    expect(E.isRight(decided) ? types(decided.right) : decided.left.code).toEqual(['InboundReceived']);
  });
});
