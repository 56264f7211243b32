/**
 * Issue 14 moved the conversation state to persistent maps and a hand-written fold. What a host can see of
 * it must not change: deliveries in the order the messages were written, every part of a state frozen, V6
 * counts that stay sane on an odd log, and a shared phone-parse answer nobody can change.
 */
import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import {
  conversationDecider,
  conversationFacts,
  conversationView,
  folderFor,
  parsePhone,
  unreadCountFor,
  type ConversationEvent,
} from '@message-center/core/internals';
import { BusinessId, ClientId, CountryCode, E164, MessageId, ProviderMessageId, StaffId, timestampFromMillis } from '@message-center/core';
import { conversationEventArb } from '@message-center/testing';
import { must } from '../facade/support.js';

const B = must(BusinessId.is, 'b1');
const C = must(ClientId.is, 'c1');
const PHONE = must(E164.is, '+14155552671');
const NUMBER = must(E164.is, '+12015550123');
const S = must(StaffId.is, 's1');
const US = must(CountryCode.is, 'US');
const at = (n: number) => timestampFromMillis(Date.UTC(2026, 0, 1) + n * 1000);
const started: ConversationEvent = { type: 'ConversationStarted', data: { businessId: B, conversationId: C, clientId: C, phone: PHONE, at: at(0) } };
const outbound = (seq: number): ConversationEvent => ({
  type: 'OutboundSent',
  data: { messageId: must(MessageId.is, `m-${seq}`), seq, author: { kind: 'staff', staffId: S }, from: NUMBER, to: PHONE, body: 'hi', segments: 1, overage: false, at: at(seq) },
});
const dispatched = (seq: number): ConversationEvent => ({
  type: 'OutboundDispatched',
  data: { messageId: must(MessageId.is, `m-${seq}`), providerMessageId: must(ProviderMessageId.is, `SM${seq}`), status: 'queued', at: at(seq) },
});
const inbound = (seq: number): ConversationEvent => ({
  type: 'InboundReceived',
  data: { messageId: must(MessageId.is, `i-${seq}`), seq, providerMessageId: must(ProviderMessageId.is, `SMi${seq}`), from: PHONE, to: NUMBER, body: 'ok', media: [], segments: 1, at: at(seq) },
});
const fold = (events: ReadonlyArray<ConversationEvent>) => conversationDecider.fold(conversationDecider.initialState, events);

describe('issue 14: the conversation state as hosts see it', () => {
  it.each([5, 32, 33, 200])('V10: %i deliveries come out in the order the messages were written (view and contact history)', (n) => {
    const events = [started, ...Array.from({ length: n }, (_, i) => [outbound(i + 1), dispatched(i + 1)]).flat()];
    const state = fold(events);
    const view = conversationView(state, S, { individualReadStatus: false, country: US });
    if (E.isLeft(view)) throw new Error(view.left.message);
    const ascending = Array.from({ length: n }, (_, i) => i + 1);
    expect(view.right.deliveries.map((d) => d.seq)).toEqual(ascending);
    const facts = conversationFacts(state);
    expect([...facts.outbound.values()].map((d) => d.seq)).toEqual(ascending);
    expect([...facts.outboundByProvider.keys()]).toEqual(ascending.map((seq) => `SM${seq}`));
  });

  test.prop([fc.array(conversationEventArb, { maxLength: 40 })])('a folded state is frozen all the way down', (events) => {
    const state = fold([started, ...events]);
    const frozen = (value: unknown): void => {
      if (typeof value !== 'object' || value === null) return;
      expect(Object.isFrozen(value)).toBe(true);
    };
    frozen(state);
    frozen(state.identity);
    frozen(state.subscription);
    frozen(state.sharedRead);
    for (const mark of state.staffRead.values()) frozen(mark);
    for (const d of state.outbound.values()) {
      frozen(d);
      frozen(d.claim);
    }
  });

  test.prop([fc.array(conversationEventArb, { maxLength: 40 })])('V6 on any log, however odd its numbers: counts never negative, never more than the inbound recorded', (events) => {
    const state = fold([started, ...events]);
    for (const individual of [false, true]) {
      const count = unreadCountFor(state, S, individual);
      expect(count).toBeGreaterThanOrEqual(0);
      expect(['unread', 'read', 'replied', 'archived']).toContain(folderFor(state, S, individual));
    }
    const facts = conversationFacts(state);
    expect(facts.inboundSinceLastOutbound.length).toBeLessThanOrEqual(state.seenInbound.size);
  });

  it('V6 on a log that numbers a message 2^32: the contact history answers without building a huge list', () => {
    const facts = conversationFacts(fold([started, inbound(2 ** 32)]));
    expect(facts.inboundSinceLastOutbound).toEqual([2 ** 32]);
  });

  it('a parsed phone (or its problem) is shared by every caller and cannot be changed by one', () => {
    const problem = parsePhone('   ');
    const parsed = parsePhone('+14155552671');
    expect(Object.isFrozen(problem)).toBe(true);
    expect(E.isLeft(problem) && Object.isFrozen(problem.left)).toBe(true);
    expect(E.isRight(parsed) && Object.isFrozen(parsed.right)).toBe(true);
    expect(() => {
      if (E.isLeft(problem)) Reflect.set(problem.left, 'kind', 'unparseable');
    }).not.toThrow();
    expect(parsePhone('   ')).toEqual(E.left({ kind: 'missing' }));
  });
});
