import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { type Actor } from '@message-center/core';
import type { ConversationState } from '@message-center/core/internals';
import { conversationDecider, folderFor, unreadCountFor, type ConversationEvent } from '@message-center/core/internals';
import { FIXTURE, deciderSpec, historyArb, staff } from '@message-center/testing';
import {
  VIEWERS,
  accepted,
  automation,
  decide,
  initial,
  inbound,
  momentsOf,
  noPermission,
  otherAutomation,
  outcome,
  recorded,
  s1,
  startedHistoryArb,
  step,
  toggle,
  types,
  type ToggleType,
} from './support.js';

const spec = deciderSpec(conversationDecider);

/** B0: staff with `send-email-sms` and the business's automations may mute and pin. */
const memberArb: fc.Arbitrary<Actor> = fc.oneof(fc.constantFrom('s1', 's2', 's3').map((id) => staff(id)), fc.constant(s1), fc.constant(automation));

const everyView = (state: ConversationState): ReadonlyArray<readonly [string, number]> =>
  [false, true].flatMap((individual) => VIEWERS.map((id) => [folderFor(state, id, individual), unreadCountFor(state, id, individual)] as const));

interface Switch {
  readonly rule: 'V8' | 'V9';
  readonly on: ToggleType;
  readonly off: ToggleType;
  readonly onEvent: ConversationEvent['type'];
  readonly offEvent: ConversationEvent['type'];
  readonly flag: (s: ConversationState) => boolean;
  readonly word: string;
}

const SWITCHES: ReadonlyArray<Switch> = [
  { rule: 'V8', on: 'Mute', off: 'Unmute', onEvent: 'ConversationMuted', offEvent: 'ConversationUnmuted', flag: (s) => s.muted, word: 'muted' },
  { rule: 'V9', on: 'Pin', off: 'Unpin', onEvent: 'ConversationPinned', offEvent: 'ConversationUnpinned', flag: (s) => s.pinned, word: 'pinned' },
];

for (const sw of SWITCHES) {
  describe(`${sw.rule} ${sw.on.toLowerCase()}`, () => {
    test.prop([historyArb(40)])(
      `${sw.rule} not ${sw.word} by default; over whole histories ${sw.onEvent} and ${sw.offEvent} alternate (${sw.word} first) and the state follows the last`,
      (history) => {
        expect(sw.flag(initial)).toBe(false);
        const changes = history.events.flatMap((e) => (e.type === sw.onEvent || e.type === sw.offEvent ? [e.type] : []));
        changes.forEach((t, i) => expect(t).toBe(i % 2 === 0 ? sw.onEvent : sw.offEvent));
        expect(sw.flag(history.state)).toBe(changes[changes.length - 1] === sw.onEvent);
        // A conversation starts neither muted nor pinned.
        const first = momentsOf(history).find((m) => m.events.length > 0);
        if (first !== undefined) expect(sw.flag(first.state)).toBe(false);
      },
    );

    test.prop([startedHistoryArb(30), fc.array(fc.tuple(fc.boolean(), memberArb), { maxLength: 8 })])(
      `${sw.rule} ${sw.on}/${sw.off} are idempotent and the state reflects the last effective toggle`,
      (history, toggles) => {
        let state = history.state;
        let expected = sw.flag(state);
        for (const [wanted, actor] of toggles) {
          const decided = step(state, toggle(wanted ? sw.on : sw.off, actor));
          // A toggle that would not change anything decides nothing; one that does records who did it.
          // Pinning an archived conversation unarchives it first (V9: pinned and archived never hold together).
          const unarchived = sw.on === 'Pin' && wanted && !expected && state.archived ? ['ConversationUnarchived'] : [];
          expect(types(decided.events)).toEqual(wanted === expected ? [] : [...unarchived, wanted ? sw.onEvent : sw.offEvent]);
          for (const e of decided.events) expect(e.data).toMatchObject({ by: actor.kind === 'staff' ? { kind: 'staff', staffId: actor.staffId } : { kind: 'automation' } });
          expected = wanted;
          state = decided.state;
          expect(sw.flag(state)).toBe(expected);
          // Repeating it at once is a no-op.
          expect(outcome(decide(toggle(wanted ? sw.on : sw.off, actor), state))).toEqual([]);
        }
      },
    );

    test.prop([startedHistoryArb(30), fc.boolean()])(
      `${sw.rule} ${sw.on}/${sw.off} change no folder and no unread count (a ${sw.word} conversation still shows as unread), except that pinning an archived one unarchives it`,
      (history, wanted) => {
        const after = step(history.state, toggle(wanted ? sw.on : sw.off)).state;
        const unarchives = sw.on === 'Pin' && wanted && history.state.archived && !history.state.pinned;
        const expected = unarchives ? step(history.state, toggle('Unarchive')).state : history.state;
        expect(everyView(after)).toEqual(everyView(expected));
      },
    );

    test.prop([startedHistoryArb(20), fc.constantFrom<Actor>(staff('s1', { businessId: FIXTURE.otherBusinessId }), otherAutomation), fc.boolean()])(
      `${sw.rule} ${sw.on}/${sw.off} by another business or by staff without the send permission (B0) is refused forbidden; on no conversation conversation-not-found`,
      (history, stranger, wanted) => {
        expect(outcome(decide(toggle(wanted ? sw.on : sw.off, stranger), history.state))).toBe('forbidden');
        expect(outcome(decide(toggle(wanted ? sw.on : sw.off, s1), initial))).toBe('conversation-not-found');
        // B0 (seed 000): staff without the Send Email/SMS permission may not mute, unmute, pin or unpin.
        expect(outcome(decide(toggle(wanted ? sw.on : sw.off, noPermission), history.state))).toBe('forbidden');
      },
    );
  });
}

describe('V9 pin and archive agree', () => {
  // Pinned rows show only in "all", which holds no archived conversation: a pinned archived one would be in
  // no view at all while the badge still counted it (issue 11). So the two never hold together.
  test.prop([historyArb(40)])('V9 over whole histories no decision leaves a state both pinned and archived', (history) => {
    for (const state of [...history.steps.map((s) => s.before), history.state]) expect(state.pinned && state.archived).toBe(false);
  });

  it('V9 pinning an archived conversation unarchives it, so it shows on top of "all"', () => {
    const conversation = recorded(inbound({ sid: 'SM1' }));
    const archived = [...conversation, ...accepted(decide(toggle('Archive'), conversationDecider.fold(initial, conversation)))];
    expect(outcome(spec.given(archived).when(toggle('Pin')).decision())).toMatchObject([{ type: 'ConversationUnarchived' }, { type: 'ConversationPinned' }]);
  });
});

describe('V8–V9 specs', () => {
  const conversation = recorded(inbound({ sid: 'SM1' }));
  const muted = [...conversation, ...accepted(decide(toggle('Mute'), conversationDecider.fold(initial, conversation)))];
  const pinned = [...conversation, ...accepted(decide(toggle('Pin'), conversationDecider.fold(initial, conversation)))];

  it('V8 mute records who muted', () =>
    spec.given(conversation).when(toggle('Mute', s1)).then([{ type: 'ConversationMuted', data: { by: { kind: 'staff', staffId: s1.staffId }, at: toggle('Mute').at } }]));
  it('V8 muting a muted conversation decides nothing', () => spec.given(muted).when(toggle('Mute')).then([]));
  it('V8 unmute resumes', () => {
    const decided = spec.given(muted).when(toggle('Unmute')).decision();
    expect(outcome(decided)).toMatchObject([{ type: 'ConversationUnmuted' }]);
  });
  it('V8 a muted conversation with a new message still shows as unread', () => {
    const state = step(conversationDecider.fold(initial, muted), inbound({ sid: 'SM2', body: 'Are you open today?' })).state;
    expect([state.muted, folderFor(state, s1.staffId, false)]).toEqual([true, 'unread']);
  });
  it('V9 pin records who pinned; pinning again decides nothing', () => {
    expect(outcome(spec.given(conversation).when(toggle('Pin', automation)).decision())).toMatchObject([
      { type: 'ConversationPinned', data: { by: { kind: 'automation', name: 'appointment-reminder' } } },
    ]);
    spec.given(pinned).when(toggle('Pin')).then([]);
  });
  it('V9 unpinning an unpinned conversation decides nothing', () => spec.given(conversation).when(toggle('Unpin')).then([]));
});
