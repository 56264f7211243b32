import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { SEND_PERMISSION, type Actor, type Author, type DomainErrorCode } from '@message-center/core';
import { conversationDecider, type ConversationEvent } from '@message-center/core/internals';
import { FIXTURE, bodyArb, deciderSpec, historyArb, messageIdArb } from '@message-center/testing';
import {
  accepted,
  allowedSenderArb,
  at,
  automation,
  decide,
  fold,
  forbiddenSenderArb,
  inbound,
  initial,
  momentsOf,
  noPermission,
  okContext,
  otherAutomation,
  otherBusinessStaff,
  outcome,
  recorded,
  s1,
  send,
  step,
  types,
} from './support.js';

const spec = deciderSpec(conversationDecider);

/** V1 written out: who may send for the business. */
const mayAct = (actor: Actor): boolean =>
  actor.businessId === FIXTURE.businessId && (actor.kind === 'automation' || actor.permissions.includes(SEND_PERMISSION));

const authorOfActor = (actor: Actor): Author =>
  actor.kind === 'staff' ? { kind: 'staff', staffId: actor.staffId } : { kind: 'automation', name: actor.name };

const messagesIn = (events: ReadonlyArray<ConversationEvent>): number =>
  events.filter((e) => e.type === 'InboundReceived' || e.type === 'OutboundSent').length;

const unsubscribedAfter = (events: ReadonlyArray<ConversationEvent>): boolean => {
  const changes = events.filter((e) => e.type === 'ClientUnsubscribed' || e.type === 'ClientResubscribed');
  return changes[changes.length - 1]?.type === 'ClientUnsubscribed';
};

const codePoints = (s: string): number => Array.from(s).length;

/** Whitespace JavaScript's `trim` removes: a body of only these is empty. */
const whitespaceArb = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2003', '\u2028', '\u3000', '\ufeff'), maxLength: 12 });

/** One code point each, from one to four UTF-16 units and both SMS encodings. */
const charArb = fc.constantFrom('a', 'Z', '7', ' ', 'é', '€', '中', 'ж', '😀', '𝄞', '\u00a0');

/** A body of exactly `n` code points that is not blank. */
const bodyOfLength = (n: number): fc.Arbitrary<string> =>
  fc.string({ unit: charArb, minLength: n - 1, maxLength: n - 1 }).map((rest) => `x${rest}`);

describe('V1 send', () => {
  test.prop([historyArb(30), forbiddenSenderArb, messageIdArb, bodyArb])(
    'V1 a send by staff without send-email-sms or of another business (or by another business’s automation) is refused forbidden, whatever the state',
    (history, actor, id, body) => {
      expect(outcome(decide(send({ actor, id, body }), history.state))).toBe('forbidden');
    },
  );

  test.prop([historyArb(30), allowedSenderArb, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }).filter((b) => b.trim() !== '')])(
    'V1 staff with send-email-sms and automations of the business may send: the OutboundSent carries seq = last seq + 1, author, from = business number, to = recipient',
    (history, actor, body) => {
      fc.pre(!unsubscribedAfter(history.events));
      const events = accepted(decide(send({ actor, id: 'fresh-out', body }), history.state));
      const sent = events[events.length - 1];
      expect(sent?.type).toBe('OutboundSent');
      if (sent?.type !== 'OutboundSent') return;
      expect(sent.data).toMatchObject({
        messageId: 'fresh-out',
        seq: messagesIn(history.events) + 1,
        author: authorOfActor(actor),
        from: FIXTURE.businessNumber,
        to: FIXTURE.clientPhone,
        body,
        overage: false,
      });
      // Only the very first message starts the conversation.
      expect(types(events)).toEqual(history.events.length === 0 ? ['ConversationStarted', 'OutboundSent'] : ['OutboundSent']);
    },
  );

  test.prop([historyArb(30), allowedSenderArb, whitespaceArb])(
    'V1 an empty or whitespace-only body is refused empty-body, whatever the state',
    (history, actor, body) => {
      expect(outcome(decide(send({ actor, id: 'fresh-out', body }), history.state))).toBe('empty-body');
    },
  );

  test.prop([historyArb(20), allowedSenderArb, fc.integer({ min: 1601, max: 1700 }).chain(bodyOfLength)])(
    'V1 a body over 1600 characters (code points) is refused body-too-long, whatever the state',
    (history, actor, body) => {
      expect(codePoints(body)).toBeGreaterThan(1600);
      const decision = decide(send({ actor, id: 'fresh-out', body }), history.state);
      expect(outcome(decision)).toBe('body-too-long');
      if (E.isLeft(decision) && decision.left.code === 'body-too-long') {
        expect(decision.left.length).toBe(codePoints(body));
        expect(decision.left.max).toBe(1600);
      }
    },
  );

  test.prop([allowedSenderArb, bodyOfLength(1600)])(
    'V1 a body of exactly 1600 characters (code points, however many UTF-16 units) is accepted',
    (actor, body) => {
      const events = accepted(decide(send({ actor, body }), initial));
      expect(types(events)).toEqual(['ConversationStarted', 'OutboundSent']);
    },
  );

  test.prop([allowedSenderArb, fc.constantFrom('Hi!', 'Your order is ready 😀')])(
    'V1 the first message starts the conversation: ConversationStarted first, in the same decision',
    (actor, body) => {
      const when = at(7);
      const events = accepted(decide(send({ actor, body, at: when }), initial));
      expect(events[0]).toEqual({
        type: 'ConversationStarted',
        data: { businessId: FIXTURE.businessId, conversationId: FIXTURE.conversationId, clientId: FIXTURE.conversationId, phone: FIXTURE.clientPhone, at: when },
      });
      expect(events[1]?.type).toBe('OutboundSent');
      const state = fold(initial, events);
      expect(state.identity).toMatchObject({ businessId: FIXTURE.businessId, conversationId: FIXTURE.conversationId, phone: FIXTURE.clientPhone });
      // A client can answer an automated text in the same conversation.
      const reply = step(state, inbound({ sid: 'SM-reply', body: 'Thanks' })).events;
      expect(types(reply)).toEqual(['InboundReceived']);
    },
  );

  test.prop([historyArb(40)])(
    'V1 over whole histories: one ConversationStarted, first; message seqs count 1, 2, 3…; a retried message id is never sent twice',
    (history) => {
      const started = history.events.flatMap((e, i) => (e.type === 'ConversationStarted' ? [i] : []));
      expect(started).toEqual(history.events.length === 0 ? [] : [0]);
      const seqs = history.events.flatMap((e) => (e.type === 'InboundReceived' || e.type === 'OutboundSent' ? [e.data.seq] : []));
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      const sentIds = history.events.flatMap((e) => (e.type === 'OutboundSent' ? [e.data.messageId] : []));
      expect(new Set(sentIds).size).toBe(sentIds.length);
    },
  );

  test.prop([historyArb(30), allowedSenderArb, bodyArb, fc.boolean()])(
    'V1 a retried SendMessage (same message id) decides nothing, even after an opt-out or with another body',
    (history, actor, body, optOut) => {
      fc.pre(!unsubscribedAfter(history.events));
      const first = step(history.state, send({ actor, id: 'retried', body: 'Original' })).state;
      const later = optOut ? step(first, inbound({ sid: 'SM-stop-later', body: 'STOP' })).state : first;
      expect(outcome(decide(send({ actor, id: 'retried', body }), later))).toEqual([]);
    },
  );

  test.prop([historyArb()])('V1 every SendMessage of a history is decided as V1, V3 and B4 say', (history) => {
    const moments = momentsOf(history);
    history.steps.forEach((s, i) => {
      const c = s.command;
      if (c.type !== 'SendMessage') return;
      const before = moments[i]?.events ?? [];
      const decision = s.result;
      if (!mayAct(c.actor)) {
        expect(outcome(decision)).toBe('forbidden');
        return;
      }
      if (before.some((e) => e.type === 'OutboundSent' && e.data.messageId === c.messageId)) {
        expect(outcome(decision)).toEqual([]);
        return;
      }
      const business = c.context.business;
      const reasons: ReadonlyArray<DomainErrorCode> = [
        ...(business === null ? ['message-center-not-enabled' as const] : []),
        ...(c.context.recipient.phone === null ? ['client-has-no-valid-cell-phone' as const] : []),
        ...(/^\s*$/.test(c.body) ? ['empty-body' as const] : []),
        ...(codePoints(c.body) > 1600 ? ['body-too-long' as const] : []),
        ...(unsubscribedAfter(before) ? ['client-unsubscribed' as const] : []),
        ...(business !== null && business.usedInPeriod >= business.allotment.messagesPerPeriod && business.allotment.overage === 'refuse'
          ? ['allotment-exhausted' as const]
          : []),
      ];
      if (reasons.length > 0) {
        expect(E.isLeft(decision)).toBe(true);
        if (E.isLeft(decision)) expect(reasons).toContain(decision.left.code);
        return;
      }
      const events = accepted(decision);
      expect(types(events)).toEqual(before.length === 0 ? ['ConversationStarted', 'OutboundSent'] : ['OutboundSent']);
      const sent = events[events.length - 1];
      if (sent?.type === 'OutboundSent' && business !== null) {
        expect(sent.data.seq).toBe(messagesIn(before) + 1);
        expect(sent.data.overage).toBe(business.usedInPeriod >= business.allotment.messagesPerPeriod);
      }
    });
  });
});

describe('V1 specs', () => {
  const reply = send({ id: 'm1', body: 'See you at 10' });
  const given = recorded(inbound({ sid: 'SM1', body: 'Can I come at 10?' }));

  it('V1 staff start a conversation: ConversationStarted, then the message as seq 1', () => {
    spec.given([]).when(send({ id: 'm1', body: 'Hello', at: at(1) })).then([
      {
        type: 'ConversationStarted',
        data: { businessId: FIXTURE.businessId, conversationId: FIXTURE.conversationId, clientId: FIXTURE.conversationId, phone: FIXTURE.clientPhone, at: at(1) },
      },
      {
        type: 'OutboundSent',
        data: {
          messageId: reply.messageId,
          seq: 1,
          author: { kind: 'staff', staffId: s1.staffId },
          from: FIXTURE.businessNumber,
          to: FIXTURE.clientPhone,
          body: 'Hello',
          segments: 1,
          overage: false,
          at: at(1),
        },
      },
    ]);
  });

  it('V1 an answer to the client is the next message of the conversation', () => {
    const decided = spec.given(given).when(reply).decision();
    expect(E.isRight(decided) ? decided.right.map((e) => (e.type === 'OutboundSent' ? e.data.seq : e.type)) : decided.left.code).toEqual([2]);
  });

  it('V1 staff without send-email-sms are refused', () => spec.given(given).when(send({ actor: noPermission })).then({ code: 'forbidden' }));
  it('V1 staff of another business are refused', () => spec.given(given).when(send({ actor: otherBusinessStaff })).then({ code: 'forbidden' }));
  it('V1 another business’s automation is refused', () => spec.given(given).when(send({ actor: otherAutomation })).then({ code: 'forbidden' }));
  it('V1 the business’s automation may send', () => {
    const decided = spec.given(given).when(send({ actor: automation })).decision();
    expect(E.isRight(decided) ? decided.right.map((e) => (e.type === 'OutboundSent' ? e.data.author : e.type)) : decided.left.code).toEqual([
      { kind: 'automation', name: 'appointment-reminder' },
    ]);
  });
  it('V1 a blank body is refused', () => spec.given(given).when(send({ body: ' \n\t ' })).then({ code: 'empty-body' }));
  it('V1 1601 characters are refused', () => spec.given(given).when(send({ body: 'a'.repeat(1601) })).then({ code: 'body-too-long' }));
  it('V1 1600 emoji are 1600 characters and accepted', () => {
    const decided = spec.given(given).when(send({ body: '😀'.repeat(1600) })).decision();
    expect(E.isRight(decided) ? types(decided.right) : decided.left.code).toEqual(['OutboundSent']);
  });
  it('V1 a retried send decides nothing', () => spec.given(recorded(inbound({ sid: 'SM1' }), reply)).when(reply).then([]));
  it('V1 (B4) over the allotment without overage it is refused', () =>
    spec.given(given).when(send({ context: okContext({ limit: 10, used: 10 }) })).then({ code: 'allotment-exhausted' }));
  it('V1 (B4) over the allotment with overage it is sent as overage', () => {
    const decided = spec.given(given).when(send({ context: okContext({ limit: 10, used: 10, overage: 'allow' }) })).decision();
    expect(E.isRight(decided) ? decided.right.map((e) => (e.type === 'OutboundSent' ? e.data.overage : e.type)) : decided.left.code).toEqual([true]);
  });
});
